package service

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// PasswordParams are the argon2id parameters of new password hashes
// (RFC 9106). A stored hash carries its own, so that changing these only
// affects passwords set afterwards.
type PasswordParams struct {
	Memory  uint32 // KiB
	Time    uint32 // passes over the memory
	Threads uint8
}

// DefaultPasswordParams cost 64 MiB and two passes on two threads: the
// hash took 110–145 ms on the 2-core development machine, a whole login
// 140–550 ms under its load (BenchmarkLogin), a deliberate brake on
// guessing (docs/deployment.md, Passwords). Logins are bounded to one
// hash per core at a time, so that a burst of logins cannot take the
// server's memory.
var DefaultPasswordParams = PasswordParams{Memory: 64 * 1024, Time: 2, Threads: 2}

// The fixed parts of a hash: a 16-byte salt and a 32-byte key.
const (
	saltLength = 16
	keyLength  = 32
)

// HashPassword returns the argon2id hash of password in the PHC string
// format: $argon2id$v=19$m=65536,t=2,p=2$SALT$KEY.
func (p PasswordParams) HashPassword(password string) (string, error) {
	salt := make([]byte, saltLength)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("service: password salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, keyLength)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

var errBadHash = errors.New("service: not an argon2id password hash")

// checkPassword reports whether password matches encoded, a hash made by
// HashPassword (with any parameters), comparing in constant time.
func checkPassword(encoded, password string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	var p PasswordParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil ||
		p.Time < 1 || p.Threads < 1 || p.Memory < 8*uint32(p.Threads) || p.Memory > 4<<20 {
		return false, errBadHash
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// MinPasswordLength is the fewest characters a password chosen by a
// person may have.
const MinPasswordLength = 12

// maxPasswordLength bounds what is hashed.
const maxPasswordLength = 1024

// checkNewPassword refuses a password too short or too long to set.
func checkNewPassword(password string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case n < MinPasswordLength:
		return invalid("password", fmt.Sprintf("a password needs at least %d characters", MinPasswordLength))
	case len(password) > maxPasswordLength:
		return invalid("password", fmt.Sprintf("a password may have at most %d bytes", maxPasswordLength))
	}
	return nil
}

// passwordAlphabet has no characters that are easily mistaken for one
// another (0/O, 1/l/I) when a password is read off a screen.
const passwordAlphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// NewPassword returns a random password of 22 characters of a
// 57-character alphabet: more than 128 bits.
func NewPassword() string {
	const length = 22
	b := make([]byte, length)
	for i := range b {
		b[i] = passwordAlphabet[randomIndex(len(passwordAlphabet))]
	}
	return string(b)
}

// randomIndex returns a uniformly random number below n (n ≤ 256).
func randomIndex(n int) int {
	limit := 256 - 256%n // reject the bytes that would favour small numbers
	var b [1]byte
	for {
		_, _ = rand.Read(b[:]) // crypto/rand never fails on a supported platform
		if int(b[0]) < limit {
			return int(b[0]) % n
		}
	}
}
