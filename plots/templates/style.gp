# style.gp - the look shared by every vtlab chart, styled for print: a
# palette safe for colour-blind readers and for greyscale print (below),
# light horizontal grid lines, no top or right border, "?" as the
# missing-value marker, the first line of every data set its column
# headers (gnuplot 5.4).
# vtlab plot puts it after the terminal and before the chart's template.
# ylabel_sep, set by vtlab plot before it, parts a y label's two halves:
# "\n" (two lines, for the height of a PDF), or " " in an SVG tall enough
# for one line: the SVG of a rotated label has a <text> a line, which
# ImageMagick's renderer turns the wrong way, showing the lines swapped.
set datafile missing "?"
set datafile columnheaders
# Five colours of Paul Tol's colour-blind-safe schemes (indigo, ochre,
# green, pale cyan, rose), chosen at five distinct lightnesses - grey 48,
# 172, 86, 206 and 130 of 255 - and ordered so that neighbours differ most:
# in greyscale no two series look alike (Tol's "bright" blue, green and
# purple, first here before, were one grey).  Series 6-10 repeat the
# colours with dashed lines and bars hatched "/", 11-15 dash-dotted and
# hatched "\" (bar_fs(k): the fill style of series k's bars, put into a
# plot command built as a string: gnuplot's solid pattern, 3, shows seams
# in a PDF, so solid bars are "solid 1"); lines also differ by their points.
set linetype 1 lc rgb "#332288" lw 2 pt 7 dt 1
set linetype 2 lc rgb "#DDAA33" lw 2 pt 5 dt 1
set linetype 3 lc rgb "#117733" lw 2 pt 9 dt 1
set linetype 4 lc rgb "#99DDFF" lw 2 pt 11 dt 1
set linetype 5 lc rgb "#CC6677" lw 2 pt 13 dt 1
set linetype 6 lc rgb "#332288" lw 2 pt 4 dt 2
set linetype 7 lc rgb "#DDAA33" lw 2 pt 6 dt 2
set linetype 8 lc rgb "#117733" lw 2 pt 8 dt 2
set linetype 9 lc rgb "#99DDFF" lw 2 pt 10 dt 2
set linetype 10 lc rgb "#CC6677" lw 2 pt 12 dt 2
set linetype 11 lc rgb "#332288" lw 2 pt 1 dt 4
set linetype 12 lc rgb "#DDAA33" lw 2 pt 2 dt 4
set linetype 13 lc rgb "#117733" lw 2 pt 3 dt 4
set linetype 14 lc rgb "#99DDFF" lw 2 pt 14 dt 4
set linetype 15 lc rgb "#CC6677" lw 2 pt 15 dt 4
set linetype cycle 15
bar_fs(k) = int((k - 1) / 5) % 3 == 0 ? "solid 1" : \
	sprintf("pattern %d", int((k - 1) / 5) % 3 == 1 ? 4 : 5)
# The axes' look, a macro panels.gp applies again after the key it draws.
style_axes = "set border 3 lw 1; set xtics nomirror scale 0; set ytics nomirror; " . \
	"set grid ytics lc rgb '#D9D9D9' lw 1 dt 1"
@style_axes
set style fill solid 0.9 border rgb "#333333"
