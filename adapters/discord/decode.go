package discord

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/bwmarrin/discordgo"
)

// decodeInteraction parses an interaction payload.
//
// A real interaction is 1.5–2 KB, most of it the member, channel, guild and
// entitlements the adapter never reads. encoding/json runs its state
// machine over every byte of those, which costs a fifth of a request's
// CPU next to the signature check; here the top level is walked with a
// plain scanner that skips unused values, and only the fields the adapter
// reads are decoded. Keys must match exactly (Discord never escapes them).
func decodeInteraction(body []byte) (*interaction, error) {
	var i interaction
	start := skipSpace(body, 0)
	end, err := fieldsAt(body, start, 0, func(key []byte, j int) (int, error) {
		switch string(key) {
		case "user":
			u, end, err := userAt(body, j, 1)
			i.User = u
			return end, err
		case "member":
			member := &struct {
				User *userRef `json:"user"`
			}{}
			end, found, err := objectAt(body, j, 1, func(k []byte, j int) (int, error) {
				if string(k) != "user" {
					return -1, nil
				}
				u, end, err := userAt(body, j, 2)
				member.User = u
				return end, err
			})
			if found {
				i.Member = member
			}
			return end, err
		case "message":
			msg := &struct {
				ID    string                 `json:"id"`
				Flags discordgo.MessageFlags `json:"flags"`
			}{}
			end, found, err := objectAt(body, j, 1, func(k []byte, j int) (int, error) {
				switch string(k) {
				case "id", "flags":
				default:
					return -1, nil
				}
				v, end, err := valueAt(body, j, 2)
				if err != nil {
					return 0, err
				}
				if string(k) == "id" {
					return end, decodeString(v, &msg.ID)
				}
				n, err := strconv.ParseUint(string(v), 10, 64)
				if err != nil && !isNull(v) {
					return 0, fmt.Errorf("message flags: %w", err)
				}
				msg.Flags = discordgo.MessageFlags(n)
				return end, nil
			})
			if found {
				i.Message = msg
			}
			return end, err
		case "id", "application_id", "token", "guild_id", "channel_id", "type", "data":
		default:
			return -1, nil
		}
		val, end, err := valueAt(body, j, 1)
		if err != nil {
			return 0, err
		}
		switch string(key) {
		case "id":
			return end, decodeString(val, &i.ID)
		case "application_id":
			return end, decodeString(val, &i.ApplicationID)
		case "token":
			return end, decodeString(val, &i.Token)
		case "guild_id":
			return end, decodeString(val, &i.GuildID)
		case "channel_id":
			return end, decodeString(val, &i.ChannelID)
		case "type":
			n, err := strconv.ParseUint(string(val), 10, 8)
			if err != nil {
				return 0, fmt.Errorf("type: %w", err)
			}
			i.Type = discordgo.InteractionType(n)
			return end, nil
		}
		return end, decodeData(val, &i.Data)
	})
	if err == nil && skipSpace(body, end) != len(body) {
		err = fmt.Errorf("%w: data after the object", errSyntax)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadInteraction, err)
	}
	if i.Type == 0 {
		return nil, fmt.Errorf("%w: no type", ErrBadInteraction)
	}
	if i.Type != discordgo.InteractionPing && (i.ID == "" || i.Token == "") {
		return nil, fmt.Errorf("%w: no id or token", ErrBadInteraction)
	}
	return &i, nil
}

// userAt reads the user object (or null) at b[i] and returns the index after it.
func userAt(b []byte, i, depth int) (*userRef, int, error) {
	u := &userRef{}
	end, found, err := objectAt(b, i, depth, func(k []byte, j int) (int, error) {
		switch string(k) {
		case "id", "bot":
		default:
			return -1, nil
		}
		v, end, err := valueAt(b, j, depth+1)
		if err != nil {
			return 0, err
		}
		if string(k) == "id" {
			return end, decodeString(v, &u.ID)
		}
		u.Bot = string(v) == "true"
		return end, nil
	})
	if !found {
		u = nil
	}
	return u, end, err
}

// decodeData reads the command or component data.
func decodeData(val []byte, d *interactionData) error {
	if isNull(val) {
		return nil
	}
	return eachField(val, 1, func(k, v []byte) error {
		switch string(k) {
		case "name":
			return decodeString(v, &d.Name)
		case "custom_id":
			return decodeString(v, &d.CustomID)
		case "component_type":
			n, err := strconv.ParseUint(string(v), 10, 8)
			if err != nil && !isNull(v) {
				return fmt.Errorf("component_type: %w", err)
			}
			d.ComponentType = discordgo.ComponentType(n)
		case "values":
			return eachElement(v, 2, func(e []byte) error {
				var s string
				if err := decodeString(e, &s); err != nil {
					return fmt.Errorf("values: %w", err)
				}
				d.Values = append(d.Values, s)
				return nil
			})
		case "options":
			opts, err := decodeOptions(v, 2)
			d.Options = opts
			return err
		}
		return nil
	})
}

// decodeOptions reads command options; subcommands nest them.
func decodeOptions(val []byte, depth int) ([]commandOption, error) {
	var out []commandOption
	err := eachElement(val, depth, func(e []byte) error {
		var o commandOption
		err := eachField(e, depth+1, func(k, v []byte) error {
			switch string(k) {
			case "name":
				return decodeString(v, &o.Name)
			case "focused":
				o.Focused = string(v) == "true"
			case "value":
				return decodeScalar(v, &o.Value)
			case "options":
				sub, err := decodeOptions(v, depth+2)
				o.Options = sub
				return err
			}
			return nil
		})
		out = append(out, o)
		return err
	})
	return out, err
}

// decodeScalar reads an option value: a string, number or boolean.
func decodeScalar(v []byte, out *any) error {
	switch {
	case isNull(v):
	case v[0] == '"':
		var s string
		if err := decodeString(v, &s); err != nil {
			return err
		}
		*out = s
	case string(v) == "true" || string(v) == "false":
		*out = string(v) == "true"
	default:
		f, err := strconv.ParseFloat(string(v), 64)
		if err != nil {
			return fmt.Errorf("option value: %w", err)
		}
		*out = f
	}
	return nil
}

// eachElement calls fn with every raw element of the array b (or nothing for null).
func eachElement(b []byte, depth int, fn func(val []byte) error) error {
	if isNull(b) {
		return nil
	}
	if depth > maxDepth {
		return fmt.Errorf("%w: nested too deeply", errSyntax)
	}
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '[' {
		return fmt.Errorf("%w: want an array", errSyntax)
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		i++
	} else {
		for {
			end, err := skipValue(b, i, depth+1)
			if err != nil {
				return err
			}
			if err := fn(b[i:end]); err != nil {
				return err
			}
			i = skipSpace(b, end)
			if i >= len(b) {
				return fmt.Errorf("%w: unterminated array", errSyntax)
			}
			if b[i] == ']' {
				i++
				break
			}
			if b[i] != ',' {
				return fmt.Errorf("%w: want ',' or ']'", errSyntax)
			}
			i = skipSpace(b, i+1)
		}
	}
	if skipSpace(b, i) != len(b) {
		return fmt.Errorf("%w: data after the array", errSyntax)
	}
	return nil
}

func isNull(v []byte) bool { return string(v) == "null" }

// decodeString reads a JSON string (or null) into s.
func decodeString(val []byte, s *string) error {
	if isNull(val) {
		return nil
	}
	if len(val) < 2 || val[0] != '"' {
		return errors.New("want a string")
	}
	if bytes.IndexByte(val, '\\') < 0 {
		*s = string(val[1 : len(val)-1])
		return nil
	}
	return json.Unmarshal(val, s)
}

// maxDepth bounds nesting in skipped values.
const maxDepth = 64

var errSyntax = errors.New("malformed JSON")

// eachField calls fn with every key and raw value of the object b, which
// must be the whole of b (surrounding whitespace allowed).
func eachField(b []byte, depth int, fn func(key, val []byte) error) error {
	i := skipSpace(b, 0)
	end, err := walkObject(b, i, depth, fn)
	if err != nil {
		return err
	}
	if skipSpace(b, end) != len(b) {
		return fmt.Errorf("%w: data after the object", errSyntax)
	}
	return nil
}

// walkObject walks the object at b[i] and returns the index after it,
// calling fn (when not nil) with each key and raw value.
func walkObject(b []byte, i, depth int, fn func(key, val []byte) error) (int, error) {
	if fn == nil {
		return fieldsAt(b, i, depth, nil)
	}
	return fieldsAt(b, i, depth, func(key []byte, j int) (int, error) {
		end, err := skipValue(b, j, depth+1)
		if err != nil {
			return 0, err
		}
		return end, fn(key, b[j:end])
	})
}

// fieldsAt walks the object at b[i] and returns the index after it. fn is
// called with each key and the index of its value, and returns the index
// after the value once it has decoded it, or -1 to have it skipped: large
// objects the adapter reads a little of (member, message) are walked once.
func fieldsAt(b []byte, i, depth int, fn func(key []byte, i int) (int, error)) (int, error) {
	if depth > maxDepth {
		return 0, fmt.Errorf("%w: nested too deeply", errSyntax)
	}
	if i >= len(b) || b[i] != '{' {
		return 0, fmt.Errorf("%w: want an object", errSyntax)
	}
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1, nil
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return 0, fmt.Errorf("%w: want a key", errSyntax)
		}
		kend, err := skipString(b, i)
		if err != nil {
			return 0, err
		}
		key := b[i+1 : kend-1]
		i = skipSpace(b, kend)
		if i >= len(b) || b[i] != ':' {
			return 0, fmt.Errorf("%w: want ':'", errSyntax)
		}
		i = skipSpace(b, i+1)
		vend := -1
		if fn != nil {
			if vend, err = fn(key, i); err != nil {
				return 0, err
			}
		}
		if vend < 0 {
			if vend, err = skipValue(b, i, depth+1); err != nil {
				return 0, err
			}
		}
		i = skipSpace(b, vend)
		if i >= len(b) {
			return 0, fmt.Errorf("%w: unterminated object", errSyntax)
		}
		switch b[i] {
		case ',':
			i = skipSpace(b, i+1)
		case '}':
			return i + 1, nil
		default:
			return 0, fmt.Errorf("%w: want ',' or '}'", errSyntax)
		}
	}
}

// objectAt is fieldsAt for a value that may be null: it reports whether
// there was an object, and the index after the value.
func objectAt(b []byte, i, depth int, fn func(key []byte, i int) (int, error)) (end int, found bool, err error) {
	if bytes.HasPrefix(b[i:], []byte("null")) {
		end, err := skipLiteral(b, i, "null")
		return end, false, err
	}
	end, err = fieldsAt(b, i, depth, fn)
	return end, err == nil, err
}

// valueAt returns the raw value at b[i] and the index after it.
func valueAt(b []byte, i, depth int) ([]byte, int, error) {
	end, err := skipValue(b, i, depth)
	if err != nil {
		return nil, 0, err
	}
	return b[i:end], end, nil
}

// skipValue returns the index after the JSON value at b[i].
func skipValue(b []byte, i, depth int) (int, error) {
	if i >= len(b) {
		return 0, fmt.Errorf("%w: want a value", errSyntax)
	}
	switch c := b[i]; {
	case c == '"':
		return skipString(b, i)
	case c == '{' || c == '[':
		return skipNested(b, i, depth)
	case c == 't':
		return skipLiteral(b, i, "true")
	case c == 'f':
		return skipLiteral(b, i, "false")
	case c == 'n':
		return skipLiteral(b, i, "null")
	case c == '-' || c >= '0' && c <= '9':
		j := i + 1
		for j < len(b) && (b[j] >= '0' && b[j] <= '9' || b[j] == '.' || b[j] == 'e' || b[j] == 'E' || b[j] == '+' || b[j] == '-') {
			j++
		}
		return j, nil
	}
	return 0, fmt.Errorf("%w: unexpected %q", errSyntax, b[i])
}

// skipNested returns the index after the object or array at b[i]. It
// matches brackets and skips strings without checking the grammar inside:
// most of a payload is values the adapter never reads (the member, guild,
// entitlements), the payload is signed by Discord, and a value that is
// read is parsed strictly by its own decoder.
func skipNested(b []byte, i, depth int) (int, error) {
	level := 0
	for j := i; j < len(b); j++ {
		switch b[j] {
		case '"':
			end, err := skipString(b, j)
			if err != nil {
				return 0, err
			}
			j = end - 1
		case '{', '[':
			level++
			if depth+level > maxDepth {
				return 0, fmt.Errorf("%w: nested too deeply", errSyntax)
			}
		case '}', ']':
			level--
			if level == 0 {
				return j + 1, nil
			}
		}
	}
	return 0, fmt.Errorf("%w: unterminated object or array", errSyntax)
}

func skipLiteral(b []byte, i int, lit string) (int, error) {
	if !bytes.HasPrefix(b[i:], []byte(lit)) {
		return 0, fmt.Errorf("%w: bad literal", errSyntax)
	}
	return i + len(lit), nil
}

// skipString returns the index after the string starting at b[i] == '"'.
func skipString(b []byte, i int) (int, error) {
	j := i + 1
	for {
		q := bytes.IndexByte(b[j:], '"')
		if q < 0 {
			return 0, fmt.Errorf("%w: unterminated string", errSyntax)
		}
		q += j
		// The quote is escaped when an odd number of backslashes precede it.
		n := 0
		for k := q - 1; k > i && b[k] == '\\'; k-- {
			n++
		}
		if n%2 == 0 {
			// Control characters are not checked: the payload is signed by
			// Discord, and strings the adapter keeps are decoded strictly
			// when they hold escapes.
			return q + 1, nil
		}
		j = q + 1
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}
