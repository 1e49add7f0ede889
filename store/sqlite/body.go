package sqlite

import (
	"bytes"
	"compress/flate"
	"errors"
	"io"
	"sync"

	"grantplan/store"
)

// How a revision's body is stored (the revisions table's encoding).
const (
	encodingPlain   = 0 // as given
	encodingDeflate = 1 // compressed with deflate (RFC 1951)
)

// compressFrom is the smallest body worth compressing: below it the
// compressed form saves little or nothing.
const compressFrom = 512

// maxStoredBody bounds what a compressed body may inflate to: more than
// any body the program stores, so that a damaged stream that would inflate
// without end is reported as damage.
const maxStoredBody = 256 << 20

var inflaters sync.Pool // of flate readers

var deflaters = sync.Pool{New: func() any {
	w, _ := flate.NewWriter(nil, flate.DefaultCompression) // the level is valid
	return w
}}

// encodeBody returns body as it is to be stored, and its encoding: deflated
// if that makes it smaller.
func encodeBody(body []byte) ([]byte, int) {
	if len(body) < compressFrom {
		return body, encodingPlain
	}
	var buf bytes.Buffer
	buf.Grow(len(body) / 4)
	w := deflaters.Get().(*flate.Writer)
	defer deflaters.Put(w)
	w.Reset(&buf)
	if _, err := w.Write(body); err != nil {
		return body, encodingPlain
	}
	if err := w.Close(); err != nil || buf.Len() >= len(body) {
		return body, encodingPlain
	}
	return buf.Bytes(), encodingDeflate
}

// errBadBody is the failure to decode a stored body.
var errBadBody = errors.New("the stored body cannot be decoded")

// decodeBody returns the body stored as stored with encoding.
func decodeBody(stored []byte, encoding int) ([]byte, error) {
	switch encoding {
	case encodingPlain:
		return stored, nil
	case encodingDeflate:
		// A reader holds a 32 KiB window: reused, not made per read.
		r, _ := inflaters.Get().(io.ReadCloser)
		if r == nil {
			r = flate.NewReader(bytes.NewReader(stored))
		} else if err := r.(flate.Resetter).Reset(bytes.NewReader(stored), nil); err != nil {
			return nil, errBadBody
		}
		defer inflaters.Put(r)
		var buf bytes.Buffer
		buf.Grow(4 * len(stored))
		_, err := buf.ReadFrom(io.LimitReader(r, maxStoredBody+1))
		if err != nil || buf.Len() > maxStoredBody {
			return nil, errBadBody
		}
		return buf.Bytes(), nil
	}
	return nil, errBadBody
}

// storedBody is a revision's body as read from the file.
type storedBody struct {
	data     []byte
	encoding int
	checksum []byte // nil for a revision stored before checksums
}

// open decodes the body of revision of id, named name, by author, and
// checks it against its checksum: a body that fails is store.Damaged.
func (b storedBody) open(id string, revision int, name, author string) ([]byte, error) {
	body, err := decodeBody(b.data, b.encoding)
	if err != nil {
		return nil, store.Damaged(id, revision)
	}
	if b.checksum != nil && !bytes.Equal(b.checksum, store.Checksum(id, revision, name, author, body)) {
		return nil, store.Damaged(id, revision)
	}
	return body, nil
}
