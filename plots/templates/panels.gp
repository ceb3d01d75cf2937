# panels.gp - the page of a chart of panels (faults, scaling, sweep): the
# key of every series centred across the foot of the page, as many entries
# a row as fit, then the panels side by side above it, each as wide.  (A
# panel's own key can be only as wide as the panel: at a column's width
# in a PDF it became one entry a row, over the bars.)  vtlab plot puts it
# after style.gp; the chart's template then runs, after
# `set multiplot title chart_title`:
#   @panels_measure   a blank plot: gnuplot then knows the page's size
#   set key title ... (or none); the plot of the key's entries (keyentry)
#   @panels_key_done  the key's rows (panels_bmargin) and the panels' size
# and for panel p: set origin (p - 1) * panel_w, 0; set size panel_w, panel_h;
# set bmargin panels_bmargin.
panels_measure = "unset border; unset tics; unset grid; unset title; unset xlabel; " . \
	"unset ylabel; set key off; set xrange [0:1]; set yrange [0:1]; plot NaN notitle; " . \
	"key_len = 0; " . \
	"do for [k=1:nseries] { key_len = strlen(series_title[k]) > key_len ? " . \
	"strlen(series_title[k]) : key_len }; " . \
	"key_cols = int(0.94 * GPVAL_TERM_XSIZE / ((key_len + 7) * GPVAL_TERM_HCHAR)); " . \
	"key_cols = key_cols < 1 ? 1 : key_cols; " . \
	"key_rows = (nseries + key_cols - 1) / key_cols; " . \
	"set lmargin at screen 0.02; set rmargin at screen 0.98; " . \
	"set bmargin at screen 0; set tmargin at screen 1; " . \
	"set key at screen 0.5, screen 0.01 center bottom horizontal reverse Left " . \
	"samplen 2 width 1 maxcols key_cols"
# The panels: above the key's rows (and its title's), a row for the x tic
# labels and one for an x label; below the multiplot title's two rows.
panels_key_done = "set key off; set key notitle; " . \
	"set lmargin -1; set rmargin -1; set tmargin -1; set bmargin -1; " . \
	"set autoscale; eval style_axes; " . \
	"panels_bmargin = key_rows + (key_has_title ? 1 : 0) + 3.5; " . \
	"panel_w = 1.0 / npanels; " . \
	"panel_h = 1 - 2.2 * GPVAL_TERM_VCHAR / GPVAL_TERM_YSIZE"
key_has_title = 0
# Column c of a panel's error bars, a word of panel_errcols[p] (scaling,
# sweep).  gnuplot reads a plot clause's using and lt once even when its
# iteration is empty, as for a panel whose points have no interval (one
# run each): int("") stopped the script.  It also plots that clause's
# first point with c = "", so its y is NaN then: column 2 with column 3
# as its half-width stretched the y axis (a sweep of 4 lines topped out
# at 9 for points below 4.1).
errcol(c) = c eq "" ? 2 : int(c)
# The lines charts (scaling, sweep): the series of data column c; series k
# drawn dodge(k) to the side of its value, so that series at one value
# (every line of a scaling chart starts at 1.0) show their points and error
# bars side by side, not one over the other; their points small (line_ps)
# and the caps of their error bars wider than a point (set errorbars): at
# the full size the points hid the bars.  The bars' points are type 0 (a
# dot the point covers), not of size 0: the SVG of that is scale(0), which
# librsvg refuses to draw (the whole chart).
series_of(c) = (c - 2) / colstep + 1
dodge(k) = nseries > 1 ? (k - (nseries + 1) / 2.0) * 0.3 / nseries : 0
line_ps = 0.6
set errorbars 1.5
# The key of a lines chart (scaling, sweep), `eval panels_lines_key`
# between @panels_measure and @panels_key_done: a line and point a series,
# titled with what the error bars are when there are some.
panels_lines_key = 'if (errorbars) { ' . \
	'set key title "error bars: 95% confidence interval"; key_has_title = 1 }; ' . \
	'plot NaN notitle, for [k=1:nseries] keyentry with linespoints lt k ps line_ps ' . \
	'title series_title[k]'
# The plot of a lines chart's panel p (scaling, sweep), `eval panels_lines`:
# the tics' labels (at the values, not at a series's dodged points), the
# error bars, then the lines and points (the bars first: drawn after the
# points, gnuplot would blank a disc around each point over them).
panels_lines = 'plot $data index (p - 1) using 0:(NaN):xtic(1) notitle with points pt -1, ' . \
	'for [c in panel_errcols[p]] $data index (p - 1) ' . \
	'using ($0 + dodge(series_of(errcol(c)))):(c eq "" ? NaN : column(errcol(c))):' . \
	'(column(errcol(c) + 1)) ' . \
	'with yerrorbars notitle lt series_of(errcol(c)) dt 1 lw 1.5 pt 0, ' . \
	'for [c in panel_cols[p]] $data index (p - 1) ' . \
	'using ($0 + dodge(series_of(int(c)))):int(c) notitle lt series_of(int(c)) ps line_ps'
# A panel's y tics: as many as fit with a line of space between their
# labels (at a PDF's height gnuplot's own step crowded ten labels into
# an inch), the step 1, 2 or 5 times a power of ten; panel_top[p], set by
# vtlab plot, the top of the panel's highest bar, stack or error bar.
# `@panels_ytics` in panel p, after its size and bmargin are set.
tic_fit = 1
nice_step(raw) = (raw <= 0) ? 1 : \
	(10 ** floor(log10(raw))) * ((raw / 10 ** floor(log10(raw))) <= 1 ? 1 : \
	(raw / 10 ** floor(log10(raw))) <= 2 ? 2 : (raw / 10 ** floor(log10(raw))) <= 5 ? 5 : 10)
panels_ytics = "tic_fit = int((panel_h * GPVAL_TERM_YSIZE / GPVAL_TERM_VCHAR - " . \
	"panels_bmargin - 3) / 2.5); tic_fit = tic_fit < 2 ? 2 : tic_fit; " . \
	"if (panel_top[p] > 0) { set ytics nice_step(panel_top[p] / tic_fit) } " . \
	"else { set ytics autofreq }"
