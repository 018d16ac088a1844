package slack

import (
	"os"
	"path/filepath"
	"slices"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The app manifest asks for exactly the scopes the adapter needs, and the
// events and features it handles: nothing more.
func TestManifestScopes(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "scripts", "slack", "manifest.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var m struct {
		OAuth struct {
			Scopes struct {
				Bot []string `yaml:"bot"`
			} `yaml:"scopes"`
		} `yaml:"oauth_config"`
		Settings struct {
			Events struct {
				Bot []string `yaml:"bot_events"`
			} `yaml:"event_subscriptions"`
			Interactivity struct {
				Enabled bool `yaml:"is_enabled"`
			} `yaml:"interactivity"`
			SocketMode bool `yaml:"socket_mode_enabled"`
		} `yaml:"settings"`
		Features struct {
			Commands []struct {
				Command string `yaml:"command"`
			} `yaml:"slash_commands"`
		} `yaml:"features"`
	}
	if err := yaml.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	scopes := slices.Sorted(slices.Values(m.OAuth.Scopes.Bot))
	// files:read: the adapter downloads the documents beleidsmedewerkers
	// send for the knowledge base (url_private_download, files.info).
	if want := []string{"app_mentions:read", "chat:write", "commands", "files:read", "im:history", "im:read"}; !slices.Equal(scopes, want) {
		t.Errorf("scopes %v, want exactly %v", scopes, want)
	}
	// The events that carry those files are the ones questions come by: a
	// direct message (message.im, subtype file_share) and a mention in the
	// admin channel (app_mention). No message.channels: that would deliver
	// every message of every channel the bot is in.
	events := slices.Sorted(slices.Values(m.Settings.Events.Bot))
	if want := []string{"app_mention", "message.im"}; !slices.Equal(events, want) {
		t.Errorf("events %v, want %v", events, want)
	}
	if !m.Settings.SocketMode || !m.Settings.Interactivity.Enabled || len(m.Features.Commands) != 1 || m.Features.Commands[0].Command != "/wegwijs" {
		t.Errorf("settings %+v features %+v", m.Settings, m.Features)
	}
}
