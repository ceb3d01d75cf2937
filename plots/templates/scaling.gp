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
eval panels_lines_key
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
	eval panels_lines
}
unset multiplot
