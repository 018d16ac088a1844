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

// Button is a button of an actions block.
type Button struct {
	ActionID, Value, Style, Label string
}

// Buttons are the buttons of the actions blocks in Block Kit blocks (as
// JSON), in order; an error when the JSON does not parse. Other blocks'
// elements (a context block's texts) are of another shape and skipped.
func Buttons(blocks string) ([]Button, error) {
	var bs []struct {
		Type     string          `json:"type"`
		Elements json.RawMessage `json:"elements"`
	}
	if err := json.Unmarshal([]byte(blocks), &bs); err != nil {
		return nil, err
	}
	var out []Button
	for _, b := range bs {
		if b.Type != "actions" {
			continue
		}
		var es []struct {
			ActionID string `json:"action_id"`
			Value    string `json:"value"`
			Style    string `json:"style"`
			Text     struct {
				Text string `json:"text"`
			} `json:"text"`
		}
		if err := json.Unmarshal(b.Elements, &es); err != nil {
			return nil, err
		}
		for _, e := range es {
			out = append(out, Button{ActionID: e.ActionID, Value: e.Value, Style: e.Style, Label: e.Text.Text})
		}
	}
	return out, nil
}
