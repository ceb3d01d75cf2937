# scaling.gp - lines, one panel per workload: for each configuration its
# performance at each vCPU count relative to its own at the smallest count
# (1.0 at the left), the counts evenly spaced.  Set by vtlab plot: $data
# (one data set per panel as in faults.gp; first column the vCPU count, one
# column per configuration), and the other variables of faults.gp.
set style data linespoints
set yrange [0:*]
set bmargin 6
set key at screen 0.5, screen 0.03 center bottom horizontal reverse Left width 1
set multiplot layout 1, npanels title chart_title
do for [p=1:npanels] {
	set title panel_title[p]
	set xrange [-0.3:panel_rows[p] - 0.7]
	set xlabel "vCPUs"
	if (p == 1) {
		set ylabel "speedup over the fewest vCPUs"
	} else {
		unset ylabel
	}
	plot for [c in panel_cols[p]] $data index (p - 1) using 0:int(c):xtic(1) notitle \
		lt (int(c) - 1), \
		for [k=1:(p == 1 ? nseries : 0)] keyentry with linespoints lt k title series_title[k]
}
unset multiplot
