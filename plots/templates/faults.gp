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
# keep a thin segment of a stack from reading as a black line; they are
# solid (dt 1) whatever the kind's dash type: a dashed one over a segment
# too thin to see left specks above the bar.  A kind a configuration never
# injected is missing from $data ("?"), not 0: it draws nothing.
set multiplot title chart_title
@panels_measure
key = "plot NaN notitle"
do for [k=1:nseries] {
	key = key . sprintf(", keyentry with boxes lt %d dt 1 fs %s border rgb '#333333' " . \
		"title series_title[%d]", k, bar_fs(k), k)
}
eval key
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
	@panels_ytics
	set title panel_title[p]
	set xrange [-0.6:panel_rows[p] - 0.4]
	if (p == 1) {
		set ylabel "faults injected" . ylabel_sep . "(mean per run)"
	} else {
		unset ylabel
	}
	# a kind's fill (style.gp bar_fs) goes into the command as text
	bars = "plot"
	do for [c in panel_cols[p]] {
		bars = bars . sprintf("%s $data index %d using %d:xtic(1) notitle lt %d dt 1 " . \
			"fs %s border rgb 'white'", bars eq "plot" ? "" : ",", p - 1, int(c), \
			int(c) - 1, bar_fs(int(c) - 1))
	}
	eval bars
}
unset multiplot
