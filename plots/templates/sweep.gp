# sweep.gp - lines, one panel per workload: the modeled time of each
# configuration (and of each value of the other swept parameters) at each
# value of one parameter the campaign sweeps, relative to native (a dashed
# line marks native; lower is better), the values evenly spaced in the
# campaign file's order.  Set by vtlab plot: $data (one data set per panel
# as in faults.gp; first column the parameter's value, one column per
# series), x_label (the parameter's name), and the variables of faults.gp.
set style data linespoints
set yrange [0:*]
# Room below the panels for the x label and a key row per series (long
# names: one series a row).
set bmargin 4 + nseries
set key at screen 0.5, screen 0.03 center bottom horizontal reverse Left width 1
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dt 2 lw 1.5 lc rgb "#333333" front
set multiplot layout 1, npanels title chart_title
do for [p=1:npanels] {
	set title panel_title[p]
	set xrange [-0.3:panel_rows[p] - 0.7]
	set xlabel x_label
	if (p == 1) {
		set ylabel "modeled time relative to native (lower is better)"
	} else {
		unset ylabel
	}
	plot for [c in panel_cols[p]] $data index (p - 1) using 0:int(c):xtic(1) notitle \
		lt (int(c) - 1), \
		for [k=1:(p == 1 ? nseries : 0)] keyentry with linespoints lt k title series_title[k]
}
unset multiplot
