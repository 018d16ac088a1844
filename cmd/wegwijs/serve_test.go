package main

import (
	"strings"
	"testing"
	"time"
)

// serve's settings are checked at start; each mistake names its variable
// and what to put there, in Dutch.
func TestServeConfig(t *testing.T) {
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{}, "MATTERMOST_URL"},
		{map[string]string{"MATTERMOST_URL": "https://chat.example.nl"}, "MATTERMOST_TOKEN ontbreekt"},
		{map[string]string{"MATTERMOST_TOKEN": "abc"}, "MATTERMOST_URL ontbreekt"},
		{map[string]string{"MATTERMOST_URL": "chat.example.nl", "MATTERMOST_TOKEN": "abc"}, "MATTERMOST_URL moet het adres"},
		{map[string]string{"MATTERMOST_URL": "https://c", "MATTERMOST_TOKEN": "a", "WEGWIJS_HTTP_ADDR": "8080"}, "WEGWIJS_HTTP_ADDR"},
		{map[string]string{"MATTERMOST_URL": "https://c", "MATTERMOST_TOKEN": "a", "WEGWIJS_RATE_PER_MINUTE": "veel"}, "WEGWIJS_RATE_PER_MINUTE"},
		{map[string]string{"MATTERMOST_URL": "https://c", "MATTERMOST_TOKEN": "a", "WEGWIJS_ANSWER_TIMEOUT": "10"}, "WEGWIJS_ANSWER_TIMEOUT moet een duur"},
		{map[string]string{"MATTERMOST_URL": "https://c", "MATTERMOST_TOKEN": "a", "WEGWIJS_CALLBACK_URL": "intern"}, "WEGWIJS_CALLBACK_URL"},
	} {
		_, err := loadServeConfig(func(k string) string { return tc.env[k] })
		if err == nil || !strings.Contains(userMessage(err), tc.want) || exitCode(err) != 2 {
			t.Errorf("%v: %v", tc.env, err)
		}
	}
	c, err := loadServeConfig(func(k string) string {
		return map[string]string{"MATTERMOST_URL": "https://chat.example.nl", "MATTERMOST_TOKEN": "t",
			"MATTERMOST_COMMAND_TOKEN": "a, b", "WEGWIJS_RATE_PER_MINUTE": "2,5", "WEGWIJS_ANSWER_TIMEOUT": "20s"}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	if c.HTTPAddr != DefaultHTTPAddr || c.RatePerMinute != 2.5 || c.AnswerTimeout != 20*time.Second ||
		len(c.Mattermost.CommandTokens) != 2 || c.Mattermost.CallbackURL != "http://"+DefaultHTTPAddr {
		t.Errorf("%+v %+v", c, c.Mattermost)
	}
}

// serve with nothing configured says which variables start a platform.
func TestServeWithoutPlatform(t *testing.T) {
	_, _, err := cliRun(t, map[string]string{}, "", "serve")
	msg := userMessage(err)
	for _, want := range []string{"MATTERMOST_URL", "MATTERMOST_TOKEN", "docs/installatie.md"} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
}
