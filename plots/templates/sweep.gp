# sweep.gp - lines, one panel per workload: the modeled time of each
# configuration (and of each value of the other swept parameters) at each
# value of one parameter the campaign sweeps, relative to native (a dashed
# line marks native; lower is better), the values evenly spaced in the
# campaign file's order.  Set by vtlab plot: $data (one data set per panel
# as in faults.gp; first column the parameter's value, one column per
# series; with errorbars = 1 each followed by its points' 95% confidence
# half-widths, "?" where a point has none, and colstep = 2; panel_errcols[p]
# the columns with some), x_label (the
# parameter's name), and the variables of faults.gp.  The error bars are
# explained in the key's title.
set multiplot title chart_title
@panels_measure
eval panels_lines_key
@panels_key_done
set style data linespoints
set yrange [0:*]
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dt 2 lw 1.5 lc rgb "#333333" front
do for [p=1:npanels] {
	set origin (p - 1) * panel_w, 0
	set size panel_w, panel_h
	set bmargin panels_bmargin
	@panels_ytics
	set title panel_title[p]
	set xrange [-0.3:panel_rows[p] - 0.7]
	set xlabel x_label
	if (p == 1) {
		set ylabel "modeled time / native's" . ylabel_sep . "(lower is better)"
	} else {
		unset ylabel
	}
	eval panels_lines
}
unset multiplot
