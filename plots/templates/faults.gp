# faults.gp - stacked bars, one panel per workload: one bar per
# configuration, stacked by the kind of fault the hypervisor injected into
# the guest (the paper's Table 1 as a chart).  Each panel has its own y
# scale; a kind keeps its colour across panels.  Set by vtlab plot: $data
# (one data set per panel, separated by two blank lines; first column the
# configuration, one column per fault kind), npanels, nseries,
# series_title[nseries], panel_title[npanels], panel_rows[npanels],
# panel_cols[npanels] (the data columns a panel has, as words: a kind
# missing from a panel is not plotted there), chart_title.  The key of
# every kind runs across the foot of the page (panels.gp).  White borders
# keep a thin segment of a stack from reading as a black line.
set multiplot title chart_title
@panels_measure
plot NaN notitle, for [k=1:nseries] keyentry with boxes lt k title series_title[k]
@panels_key_done
panels_bmargin = panels_bmargin - 1 # no x label
set style data histograms
set style histogram rowstacked
set boxwidth 0.6
set style fill solid 0.9 border lc rgb 'white'
set yrange [0:*]
do for [p=1:npanels] {
	set origin (p - 1) * panel_w, 0
	set size panel_w, panel_h
	set bmargin panels_bmargin
	set title panel_title[p]
	set xrange [-0.6:panel_rows[p] - 0.4]
	if (p == 1) {
		set ylabel "faults injected\n(mean per run)"
	} else {
		unset ylabel
	}
	plot for [c in panel_cols[p]] $data index (p - 1) using int(c):xtic(1) notitle \
		lt (int(c) - 1)
}
unset multiplot
