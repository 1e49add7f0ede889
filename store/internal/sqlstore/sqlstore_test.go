package sqlstore

import (
	"slices"
	"testing"
	"testing/fstest"
)

func TestLoadMigrations(t *testing.T) {
	file := func(sql string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(sql)} }
	tests := []struct {
		name    string
		files   fstest.MapFS
		want    []string
		wantErr string
	}{
		{
			name:  "in order",
			files: fstest.MapFS{"migrations/0002_b.sql": file("B"), "migrations/0001_a.sql": file("A"), "other/0003_c.sql": file("C")},
			want:  []string{"0001_a.sql", "0002_b.sql"},
		},
		{name: "none", files: fstest.MapFS{}, want: []string{}},
		{
			name:    "gap",
			files:   fstest.MapFS{"migrations/0001_a.sql": file("A"), "migrations/0003_c.sql": file("C")},
			wantErr: "store: migration 0003_c.sql: want number 0002",
		},
		{
			name:    "repeat",
			files:   fstest.MapFS{"migrations/0001_a.sql": file("A"), "migrations/0001_b.sql": file("B")},
			wantErr: "store: migration 0001_b.sql: want number 0002",
		},
		{
			name:    "no number",
			files:   fstest.MapFS{"migrations/init.sql": file("A")},
			wantErr: "store: migration init.sql: want number 0001",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := LoadMigrations(tt.files)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("got %v, %v, want error %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			names := []string{}
			for i, m := range got {
				names = append(names, m.Name)
				if m.Version != i+1 || m.SQL != string(tt.files["migrations/"+m.Name].Data) {
					t.Errorf("migration %d: got %+v", i, m)
				}
			}
			if !slices.Equal(names, tt.want) {
				t.Errorf("got %v, want %v", names, tt.want)
			}
		})
	}
}
