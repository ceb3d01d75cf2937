# style.gp - the look shared by every vtlab chart, styled for print: a
# colour-blind-safe palette (Paul Tol's "bright" scheme, then five of his
# "muted" colours: 12 series, as many as there are fault kinds), light
# horizontal grid lines, no top or right border, "?" as the missing-value
# marker, the first line of every data set its column headers (gnuplot
# 5.4).
# vtlab plot puts it after the terminal and before the chart's template.
set datafile missing "?"
set datafile columnheaders
set linetype 1 lc rgb "#4477AA" lw 2 pt 7
set linetype 2 lc rgb "#EE6677" lw 2 pt 5
set linetype 3 lc rgb "#228833" lw 2 pt 9
set linetype 4 lc rgb "#CCBB44" lw 2 pt 11
set linetype 5 lc rgb "#66CCEE" lw 2 pt 13
set linetype 6 lc rgb "#AA3377" lw 2 pt 4
set linetype 7 lc rgb "#BBBBBB" lw 2 pt 6
set linetype 8 lc rgb "#332288" lw 2 pt 8
set linetype 9 lc rgb "#DDCC77" lw 2 pt 10
set linetype 10 lc rgb "#117733" lw 2 pt 12
set linetype 11 lc rgb "#882255" lw 2 pt 14
set linetype 12 lc rgb "#44AA99" lw 2 pt 3
set linetype cycle 12
# The axes' look, a macro panels.gp applies again after the key it draws.
style_axes = "set border 3 lw 1; set xtics nomirror scale 0; set ytics nomirror; " . \
	"set grid ytics lc rgb '#D9D9D9' lw 1 dt 1"
@style_axes
set style fill solid 0.9 border rgb "#333333"
