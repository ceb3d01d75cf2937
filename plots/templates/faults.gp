# faults.gp - stacked bars, one panel per workload: one bar per
# configuration, stacked by the kind of fault the hypervisor injected into
# the guest (the paper's Table 1 as a chart).  Each panel has its own y
# scale; a kind keeps its colour across panels.  Set by vtlab plot: $data
# (one data set per panel, separated by two blank lines; first column the
# configuration, one column per fault kind), npanels, nseries,
# series_title[nseries], panel_title[npanels], panel_rows[npanels],
# panel_cols[npanels] (the data columns a panel has, as words: a kind
# missing from a panel is not plotted there), chart_title.  The first
# panel draws the key of every kind, at the bottom of the page.  White borders
# keep a thin segment of a stack from reading as a black line.
set style data histograms
set style histogram rowstacked
set boxwidth 0.6
set style fill solid 0.9 border lc rgb 'white'
set yrange [0:*]
set bmargin 6
set key at screen 0.5, screen 0.03 center bottom horizontal reverse Left width 1
set multiplot layout 1, npanels title chart_title
do for [p=1:npanels] {
	set title panel_title[p]
	set xrange [-0.6:panel_rows[p] - 0.4]
	if (p == 1) {
		set ylabel "faults injected (mean per run)"
	} else {
		unset ylabel
	}
	plot for [c in panel_cols[p]] $data index (p - 1) using int(c):xtic(1) notitle \
		lt (int(c) - 1), \
		for [k=1:(p == 1 ? nseries : 0)] keyentry with boxes lt k title series_title[k]
}
unset multiplot
