# perf.gp - grouped bars: one group per workload, one bar per configuration,
# the height its performance relative to the baseline configuration
# (native unless --baseline; higher is better; a dashed line marks the
# baseline).  Set by vtlab plot: $data (first column the workload, one
# column per configuration; with errorbars = 1 each followed by its bars'
# 95% confidence half-widths), nrows, nseries, ymax, errorbars,
# chart_title, baseline (its name).  A series's fill (style.gp bar_fs) goes into the
# plot command as text, so the command is built as a string.  The error bars are explained in the key's
# title: a reader must not have to guess what they are.
set style data histograms
set boxwidth 0.9
set xrange [-0.6:nrows - 0.4]
# More groups than fit side by side: slanted labels, right-aligned on their tic.
if (nrows > 4) { set xtics rotate by 30 right }
set yrange [0:ymax]
# Short lines: a PDF a column wide has little height for the label.
set ylabel sprintf("performance / %s%s(higher is better)", baseline, ylabel_sep)
# The key above the plot, under the title: inside it would cover the bars
# of a narrow chart.  gnuplot wraps its entries into as many rows as needed.
set key tmargin center horizontal reverse Left samplen 2 width 1 autotitle columnheader
# The title centred on the page (a plot's title centres on its axes, which
# the label shifts right: at a column's width its end was cut).
set multiplot layout 1, 1 title chart_title
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dt 2 lw 1.5 lc rgb "#333333" front
if (errorbars) {
	set style histogram errorbars gap 1 lw 1.5
	set key title "error bars: 95% confidence interval"
	bars = "plot"
	do for [i=1:nseries] {
		bars = bars . sprintf("%s $data using (column(%d)):(column(%d)):xtic(1) " . \
			"title columnheader(%d) lt %d dt 1 fs %s border rgb '#333333'", \
			i > 1 ? "," : "", 2 * i, 2 * i + 1, 2 * i, i, bar_fs(i))
	}
	eval bars
} else {
	set style histogram clustered gap 1
	bars = "plot"
	do for [i=1:nseries] {
		bars = bars . sprintf("%s $data using %d:xtic(1) title columnheader(%d) " . \
			"lt %d dt 1 fs %s border rgb '#333333'", i > 1 ? "," : "", i + 1, i + 1, i, bar_fs(i))
	}
	eval bars
}
unset multiplot
