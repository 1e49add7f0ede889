package report

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"strconv"
)

// fpdf writes the text of its UTF-8 fonts as two-byte codes equal to the
// characters' Unicode values, and maps them back to Unicode for readers
// that extract text (search, copy, screen readers) with one ToUnicode
// range over all codes: <0000> <FFFF> <0000>. The PDF standard (ISO
// 32000-1, 9.10.3) lets such a range increase only the last byte of its
// target, so a strict reader takes "€" (U+20AC) for "¬" (U+00AC) and the
// dashes and quotes for control characters; lenient readers (poppler,
// pdf.js) carry into the first byte. fixToUnicode replaces each such map
// with one range per first byte, which every reader reads alike.

// fpdfRange is fpdf's one range, as it stands in its ToUnicode CMap.
var fpdfRange = []byte("\n1 beginbfrange\n<0000> <FFFF> <0000>\nendbfrange\n")

// toUnicodeCMap is the replacement: the same identity map, in ranges that
// do not cross a first byte (and leave out the surrogates, which are no
// characters).
var toUnicodeCMap = func() []byte {
	var ranges [][2]int
	for hi := 0; hi < 256; hi++ {
		if hi >= 0xd8 && hi <= 0xdf {
			continue
		}
		ranges = append(ranges, [2]int{hi << 8, hi<<8 | 0xff})
	}
	var b bytes.Buffer
	b.WriteString("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n" +
		"/CIDSystemInfo\n<</Registry (Adobe)\n/Ordering (UCS)\n/Supplement 0\n>> def\n" +
		"/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n" +
		"1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n")
	// At most 100 entries a block.
	for len(ranges) > 0 {
		n := min(len(ranges), 100)
		fmt.Fprintf(&b, "%d beginbfrange\n", n)
		for _, r := range ranges[:n] {
			fmt.Fprintf(&b, "<%04X> <%04X> <%04X>\n", r[0], r[1], r[0])
		}
		b.WriteString("endbfrange\n")
		ranges = ranges[n:]
	}
	b.WriteString("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend")
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	w.Write(b.Bytes())
	w.Close()
	return z.Bytes()
}()

// fixToUnicode replaces every ToUnicode stream of fpdf's UTF-8 fonts in a
// complete PDF (as fpdf writes it: uncompressed ToUnicode streams, a
// classic cross-reference table) with toUnicodeCMap, and moves the
// cross-reference table's offsets by what the replacements add.
func fixToUnicode(pdf []byte) ([]byte, error) {
	type edit struct {
		start, end int // the bytes replaced: from "<<" to "endstream"
	}
	var edits []edit
	for from := 0; ; {
		i := bytes.Index(pdf[from:], fpdfRange)
		if i < 0 {
			break
		}
		i += from
		stream := bytes.LastIndex(pdf[:i], []byte("\nstream\n"))
		dict := bytes.LastIndex(pdf[:max(stream, 0)], []byte("<</Length "))
		end := bytes.Index(pdf[i:], []byte("\nendstream"))
		if stream < 0 || dict < 0 || end < 0 {
			return nil, errors.New("report: a ToUnicode map not in a stream")
		}
		edits = append(edits, edit{start: dict, end: i + end + len("\nendstream")})
		from = i + end
	}
	if len(edits) == 0 {
		return pdf, nil
	}
	object := fmt.Appendf(nil, "<</Length %d /Filter /FlateDecode>>\nstream\n", len(toUnicodeCMap))
	object = append(object, toUnicodeCMap...)
	object = append(object, "\nendstream"...)

	xref := bytes.LastIndex(pdf, []byte("\nxref\n"))
	startxref := bytes.LastIndex(pdf, []byte("\nstartxref\n"))
	if xref < edits[len(edits)-1].end || startxref < xref {
		return nil, errors.New("report: no cross-reference table after the fonts")
	}
	// shift is how far a byte at offset moves.
	shift := func(offset int) int {
		moved := 0
		for _, e := range edits {
			if offset >= e.end {
				moved += len(object) - (e.end - e.start)
			}
		}
		return offset + moved
	}

	var out bytes.Buffer
	out.Grow(len(pdf) + len(edits)*len(object))
	last := 0
	for _, e := range edits {
		out.Write(pdf[last:e.start])
		out.Write(object)
		last = e.end
	}
	out.Write(pdf[last : xref+1])
	// The table: "xref", "0 N", then N entries of "OOOOOOOOOO GGGGG n \n".
	table := pdf[xref+1 : startxref+1]
	lines := bytes.SplitAfter(table, []byte("\n"))
	if len(lines) < 3 {
		return nil, errors.New("report: a cross-reference table without entries")
	}
	for _, line := range lines {
		if len(line) == 20 && (line[17] == 'n' || line[17] == 'f') {
			offset, err := strconv.Atoi(string(line[:10]))
			if err != nil {
				return nil, fmt.Errorf("report: cross-reference entry %q: %w", line, err)
			}
			if line[17] == 'n' {
				offset = shift(offset)
			}
			fmt.Fprintf(&out, "%010d%s", offset, line[10:])
			continue
		}
		out.Write(line)
	}
	// "startxref", the table's offset, "%%EOF".
	rest := pdf[startxref+1:]
	fields := bytes.SplitN(rest, []byte("\n"), 3)
	if len(fields) < 3 {
		return nil, errors.New("report: no startxref")
	}
	offset, err := strconv.Atoi(string(fields[1]))
	if err != nil {
		return nil, fmt.Errorf("report: startxref %q: %w", fields[1], err)
	}
	fmt.Fprintf(&out, "startxref\n%d\n", shift(offset))
	out.Write(fields[2])
	return out.Bytes(), nil
}
