// Package storetest holds the tests every shared-state backend must pass:
// one contract suite run against the in-memory store, the Redis store and
// the failover wrapper (healthy and degraded), and bot-level scenarios
// (de-duplication across replicas, follow-ups, settings across restarts,
// rate limits, the lookup cache, degraded mode) with a real redis-server.
// It has no code outside its tests.
package storetest
