package redis

// Internals for the tests in package redis_test.

// SettingsLive reports whether the Store's settings subscription is up.
func SettingsLive(s *Store) bool { return s.settings.isLive() }

// HashTag is hashTag.
var HashTag = hashTag
