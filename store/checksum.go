package store

import (
	"crypto/sha256"
	"encoding/binary"
)

// Checksum is the SHA-256 of a revision as every backend stores it beside
// the revision and checks it whenever it reads the revision: its id,
// number, name, author ("" for none) and body, the id, the name and the
// author each after its length in bytes (all numbers as unsigned
// varints), so that no two revisions are written the same. A revision
// whose stored checksum differs is Damaged.
func Checksum(id string, revision int, name, author string, body []byte) []byte {
	h := sha256.New()
	buf := make([]byte, 0, 4*binary.MaxVarintLen64+len(id)+len(name)+len(author))
	buf = binary.AppendUvarint(buf, uint64(len(id)))
	buf = append(buf, id...)
	buf = binary.AppendUvarint(buf, uint64(revision))
	buf = binary.AppendUvarint(buf, uint64(len(name)))
	buf = append(buf, name...)
	buf = binary.AppendUvarint(buf, uint64(len(author)))
	buf = append(buf, author...)
	h.Write(buf)
	h.Write(body)
	return h.Sum(nil)
}
