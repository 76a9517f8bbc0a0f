package lru

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"advisorybot/internal/fakeclock"
)

func TestCache(t *testing.T) {
	clk := fakeclock.New(time.Unix(1000, 0))
	tests := []struct {
		name string
		run  func(t *testing.T, c *Cache[int])
	}{
		{"miss", func(t *testing.T, c *Cache[int]) {
			if _, ok := c.Get("a"); ok {
				t.Fatal("hit on an empty cache")
			}
		}},
		{"hit", func(t *testing.T, c *Cache[int]) {
			c.Set("a", 1, time.Minute)
			if v, ok := c.Get("a"); !ok || v != 1 {
				t.Fatalf("Get = %d, %v; want 1, true", v, ok)
			}
		}},
		{"overwrite", func(t *testing.T, c *Cache[int]) {
			c.Set("a", 1, time.Minute)
			c.Set("a", 2, time.Minute)
			if v, _ := c.Get("a"); v != 2 || c.Len() != 1 {
				t.Fatalf("Get = %d, Len = %d; want 2, 1", v, c.Len())
			}
		}},
		{"expires", func(t *testing.T, c *Cache[int]) {
			c.Set("a", 1, time.Second)
			clk.Add(999 * time.Millisecond)
			if _, ok := c.Get("a"); !ok {
				t.Fatal("expired early")
			}
			clk.Add(time.Millisecond)
			if _, ok := c.Get("a"); ok {
				t.Fatal("served after its ttl")
			}
			if c.Len() != 0 {
				t.Fatalf("Len = %d after expiry", c.Len())
			}
		}},
		{"non-positive ttl deletes", func(t *testing.T, c *Cache[int]) {
			c.Set("a", 1, time.Minute)
			c.Set("a", 1, 0)
			c.Set("b", 1, -time.Second)
			if c.Len() != 0 {
				t.Fatalf("Len = %d", c.Len())
			}
		}},
		{"evicts least recently used", func(t *testing.T, c *Cache[int]) {
			c.Set("a", 1, time.Minute)
			c.Set("b", 2, time.Minute)
			c.Set("c", 3, time.Minute)
			c.Get("a") // b is now the oldest
			c.Set("d", 4, time.Minute)
			if _, ok := c.Get("b"); ok {
				t.Error("b survived; it was the least recently used")
			}
			for _, k := range []string{"a", "c", "d"} {
				if _, ok := c.Get(k); !ok {
					t.Errorf("%s evicted", k)
				}
			}
			if c.Len() != 3 {
				t.Errorf("Len = %d, want the capacity 3", c.Len())
			}
		}},
		{"sweep", func(t *testing.T, c *Cache[int]) {
			c.Set("a", 1, time.Second)
			c.Set("b", 1, time.Hour)
			clk.Add(2 * time.Second)
			if n := c.Sweep(); n != 1 || c.Len() != 1 {
				t.Fatalf("Sweep = %d, Len = %d; want 1, 1", n, c.Len())
			}
		}},
		{"delete", func(t *testing.T, c *Cache[int]) {
			c.Set("a", 1, time.Minute)
			c.Delete("a")
			if _, ok := c.Get("a"); ok {
				t.Fatal("deleted key served")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, New[int](3, clk.Now)) })
	}
}

func TestBoundedUnderLoad(t *testing.T) {
	c := New[int](1000, nil)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 5000 {
				k := fmt.Sprint(g, ":", i)
				c.Set(k, i, time.Minute)
				c.Get(k)
			}
		})
	}
	wg.Wait()
	if n := c.Len(); n > 1000 {
		t.Fatalf("Len = %d, above the bound 1000", n)
	}
}

func BenchmarkGet(b *testing.B) {
	c := New[int](10_000, nil)
	c.Set("lookup:abc:ballerina:2023", 1, time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		c.Get("lookup:abc:ballerina:2023")
	}
}
