# scaling.gp - lines, one panel per workload: for each configuration its
# performance at each vCPU count relative to its own at the smallest count
# (1.0 at the left), the counts evenly spaced.  Set by vtlab plot: $data
# (one data set per panel as in faults.gp; first column the vCPU count, one
# column per configuration; with errorbars = 1 each followed by its
# points' 95% confidence half-widths, "?" where a point has none, and
# colstep = 2; panel_errcols[p] the columns with some), and the other
# variables of faults.gp.  The error bars are
# explained in the key's title.
set multiplot title chart_title
@panels_measure
if (errorbars) {
	set key title "error bars: 95% confidence interval"
	key_has_title = 1
}
plot NaN notitle, for [k=1:nseries] keyentry with linespoints lt k ps line_ps title series_title[k]
@panels_key_done
set style data linespoints
set yrange [0:*]
do for [p=1:npanels] {
	set origin (p - 1) * panel_w, 0
	set size panel_w, panel_h
	set bmargin panels_bmargin
	@panels_ytics
	set title panel_title[p]
	set xrange [-0.3:panel_rows[p] - 0.7]
	set xlabel "vCPUs"
	if (p == 1) {
		set ylabel "speedup over" . ylabel_sep . "the fewest vCPUs"
	} else {
		unset ylabel
	}
	# the tics' labels (at the values, not at a series's dodged points), the
	# error bars (drawn after the points, gnuplot would blank a disc around
	# each point over them), then the lines and points
	plot $data index (p - 1) using 0:(NaN):xtic(1) notitle with points pt -1, \
		for [c in panel_errcols[p]] $data index (p - 1) \
		using ($0 + dodge(series_of(errcol(c)))):errcol(c):(column(errcol(c) + 1)) \
		with yerrorbars notitle lt series_of(errcol(c)) dt 1 lw 1.5 pt 0, \
		for [c in panel_cols[p]] $data index (p - 1) \
		using ($0 + dodge(series_of(int(c)))):int(c) notitle lt series_of(int(c)) \
		ps line_ps
}
unset multiplot
