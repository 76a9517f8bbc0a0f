// Package search finds titles: normalisation, exact and alias lookup,
// typo-tolerant matching and closest-title suggestions over any list of titles.
package search

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Normalize maps a title to its search key: lower case, accents folded,
// "&" read as "and", punctuation dropped, a leading article removed
// (also in the "Title, The" form). "The Lion King", "Lion King, The" and
// "lion king" share one key.
func Normalize(title string) string {
	var b strings.Builder
	b.Grow(len(title))
	space := true // suppress leading and repeated spaces
	for _, r := range title {
		switch {
		case r == '&':
			if !space {
				b.WriteByte(' ')
			}
			b.WriteString("and ")
			space = true
		case r == '\'' || r == '’' || r == '‘' || r == '`':
			// "Don't" and "Dont" are one word.
		case r < utf8.RuneSelf:
			c := byte(r)
			switch {
			case 'A' <= c && c <= 'Z':
				b.WriteByte(c + 'a' - 'A')
				space = false
			case 'a' <= c && c <= 'z' || '0' <= c && c <= '9':
				b.WriteByte(c)
				space = false
			default:
				if !space {
					b.WriteByte(' ')
					space = true
				}
			}
		default:
			if f, ok := fold(r); ok {
				b.WriteString(f)
				space = false
			} else if unicode.IsLetter(r) || unicode.IsDigit(r) {
				b.WriteRune(unicode.ToLower(r))
				space = false
			} else if unicode.Is(unicode.Mn, r) {
				// combining accent: drop
			} else if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	key := strings.TrimSuffix(b.String(), " ")
	return moveArticle(key, commaArticle(title))
}

// commaArticle reports whether title ends in the "Title, The" form: an
// article after the last comma. Without the comma a final "A" is part of the
// title ("Easy A", "Boy A") and stays.
func commaArticle(title string) bool {
	title = strings.TrimRightFunc(title, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	i := strings.LastIndexByte(title, ',')
	if i < 0 {
		return false
	}
	last := strings.TrimSpace(title[i+1:])
	for _, a := range articles {
		if strings.EqualFold(last, a) {
			return true
		}
	}
	return false
}

var articles = []string{"the", "a", "an"}

// moveArticle drops a leading article, or the trailing one of the
// "Title, The" form when comma says the title had that form.
func moveArticle(key string, comma bool) string {
	for _, a := range articles {
		if rest, ok := strings.CutPrefix(key, a+" "); ok && rest != "" {
			return rest
		}
	}
	if !comma {
		return key
	}
	for _, a := range articles {
		if rest, ok := strings.CutSuffix(key, " "+a); ok && rest != "" {
			return rest
		}
	}
	return key
}

// fold strips accents from the Latin letters titles actually use; a table is
// cheaper than full Unicode decomposition on the hot path.
func fold(r rune) (string, bool) {
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å', 'ā', 'ă', 'ą', 'À', 'Á', 'Â', 'Ã', 'Ä', 'Å', 'Ā', 'Ă', 'Ą':
		return "a", true
	case 'æ', 'Æ':
		return "ae", true
	case 'ç', 'ć', 'č', 'Ç', 'Ć', 'Č':
		return "c", true
	case 'ď', 'đ', 'Ď', 'Đ', 'ð', 'Ð':
		return "d", true
	case 'è', 'é', 'ê', 'ë', 'ē', 'ė', 'ę', 'ě', 'È', 'É', 'Ê', 'Ë', 'Ē', 'Ė', 'Ę', 'Ě':
		return "e", true
	case 'ğ', 'Ğ':
		return "g", true
	case 'ì', 'í', 'î', 'ï', 'ī', 'į', 'ı', 'Ì', 'Í', 'Î', 'Ï', 'Ī', 'Į', 'İ':
		return "i", true
	case 'ł', 'ľ', 'Ł', 'Ľ':
		return "l", true
	case 'ñ', 'ń', 'ň', 'Ñ', 'Ń', 'Ň':
		return "n", true
	case 'ò', 'ó', 'ô', 'õ', 'ö', 'ø', 'ō', 'ő', 'Ò', 'Ó', 'Ô', 'Õ', 'Ö', 'Ø', 'Ō', 'Ő':
		return "o", true
	case 'œ', 'Œ':
		return "oe", true
	case 'ř', 'Ř':
		return "r", true
	case 'ś', 'š', 'ş', 'Ś', 'Š', 'Ş':
		return "s", true
	case 'ß':
		return "ss", true
	case 'ť', 'ţ', 'Ť', 'Ţ':
		return "t", true
	case 'ù', 'ú', 'û', 'ü', 'ū', 'ů', 'ű', 'ų', 'Ù', 'Ú', 'Û', 'Ü', 'Ū', 'Ů', 'Ű', 'Ų':
		return "u", true
	case 'ý', 'ÿ', 'Ý', 'Ÿ':
		return "y", true
	case 'ž', 'ź', 'ż', 'Ž', 'Ź', 'Ż':
		return "z", true
	case 'þ', 'Þ':
		return "th", true
	}
	return "", false
}
