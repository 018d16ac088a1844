// Package slacktest helps tests read what the Slack adapter sent.
package slacktest

import "encoding/json"

// BlocksText is all the text in Block Kit blocks (as JSON), one piece a
// line, in no particular order between siblings; an error when the JSON
// does not parse.
func BlocksText(blocks string) (string, error) {
	var v any
	if err := json.Unmarshal([]byte(blocks), &v); err != nil {
		return "", err
	}
	var out []byte
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if s, ok := v["text"].(string); ok {
				out = append(append(out, s...), '\n')
			}
			for _, x := range v {
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(v)
	return string(out), nil
}
