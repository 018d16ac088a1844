// Package mmtest sets up what an end-to-end test of the Mattermost bot needs
// on a real Mattermost server: an admin, two askers, a team with a public
// channel, and a bot account with a personal access token. The server is the
// Team Edition v6.7.2 that scripts/mattermost.sh builds and starts; the
// client is github.com/mattermost/mattermost/server/public v0.4.4. See
// docs/mattermost-test-server.md.
//
// # Catching up after a reconnect
//
// After a short drop while the server kept running, the bot can resume its
// WebSocket connection and get the events it missed replayed: reconnect with
// model.NewReliableWebSocketClientWithDialer(dialer, wsURL, token, connID,
// lastSeq+1, true), connID being the "connection_id" of the first hello
// event (see Resume). The server keeps a dropped connection, with at most
// 256 queued events, until a sweep (every 5 minutes) finds it has had no
// user activity for 5 minutes: for a long-lived bot connection that can be
// the first sweep after the drop, so resuming is a bonus, never a guarantee.
// When the server sends a new hello instead, it restarted or forgot the
// connection, and the bot finds the direct
// messages and mentions it missed since the create time T of the last post
// it saw with the v4 REST API:
//
//  1. Client4.GetChannelsForUserWithLastDeleteAt(ctx, botUserID, 0)
//     (GET /api/v4/users/{id}/channels): every channel the bot is a member
//     of, in all teams, direct and group messages included, each with its
//     LastPostAt. Only channels with LastPostAt > T have anything new.
//     (Per team: GetChannelsForTeamForUser(ctx, teamID, botUserID, false, "");
//     that one leaves out direct messages.)
//  2. Client4.GetPostsSince(ctx, channelID, T, false)
//     (GET /api/v4/channels/{id}/posts?since=T) for each of those channels.
//     It returns the posts whose UpdateAt is after T (so also older posts
//     edited or reacted to since, and the roots of threads with new replies),
//     at most 1000 per call: keep the posts with CreateAt > T that are not
//     the bot's own, dedupe by id, and in team channels keep those that
//     mention the bot (@username in the message) or answer in a thread the
//     bot takes part in. In direct channels (Type "D") every post counts.
//
// Post search (Client4.SearchPosts(ctx, teamID, "@"+botUsername, false),
// POST /api/v4/teams/{id}/posts/search) works on v6.7.2 with PostgreSQL and
// finds the mentions, but it matches words rather than mentions, filters by
// day at best ("after:YYYY-MM-DD"), not by millisecond, and returns a page
// of results: a fallback at most, not the way to catch up.
package mmtest

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
)

// Names of what Bootstrap creates. They are fixed so that Bootstrap on a
// server it bootstrapped before (after scripts/mattermost.sh restart) finds
// and reuses them.
const (
	AdminUsername  = "wegwijs-admin"
	AskerUsername  = "asker"
	Asker2Username = "asker2"
	BotUsername    = "wegwijs"
	TeamName       = "wegwijs-e2e"
	ChannelName    = "vragen"
	// Password is every test user's password; it meets the default
	// password policy.
	Password = "Wegwijs-e2e-Passw0rd!"
)

// Fixture is what a test needs on a fresh server.
type Fixture struct {
	URL string

	Admin, Asker, Asker2                   *model.User
	AdminClient, AskerClient, Asker2Client *model.Client4

	Team *model.Team
	// Channel is a public channel in Team with the admin, both askers and
	// the bot as members.
	Channel *model.Channel

	Bot     *model.Bot
	BotUser *model.User
	// BotToken is a personal access token of the bot, new on every
	// Bootstrap.
	BotToken string
}

// URLFromEnv returns MATTERMOST_TEST_URL. When it is empty the test is
// skipped, or fails when WEGWIJS_REQUIRE_MATTERMOST=1.
func URLFromEnv(t testing.TB) string {
	t.Helper()
	url := strings.TrimRight(os.Getenv("MATTERMOST_TEST_URL"), "/")
	if url != "" {
		return url
	}
	const how = "MATTERMOST_TEST_URL is not set; start a server with 'bash scripts/mattermost.sh start' (docs/mattermost-test-server.md)"
	if os.Getenv("WEGWIJS_REQUIRE_MATTERMOST") == "1" {
		t.Fatal(how + ", and WEGWIJS_REQUIRE_MATTERMOST=1 requires it")
	}
	t.Skip(how)
	return ""
}

// WebSocketURL turns the server URL (http://host:port) into the URL that
// model.NewWebSocketClient4 wants (ws://host:port).
func WebSocketURL(url string) string {
	switch {
	case strings.HasPrefix(url, "https://"):
		return "wss://" + strings.TrimPrefix(url, "https://")
	case strings.HasPrefix(url, "http://"):
		return "ws://" + strings.TrimPrefix(url, "http://")
	}
	return url
}

// Bootstrap creates the users, team, channel and bot on the server at url,
// or reuses them when a previous Bootstrap made them. The first user created
// on a fresh server becomes its system admin, so on a fresh server the admin
// is created first.
func Bootstrap(ctx context.Context, url string) (*Fixture, error) {
	url = strings.TrimRight(url, "/")
	f := &Fixture{URL: url}
	anon := model.NewAPIv4Client(url)
	if _, _, err := anon.GetPing(ctx); err != nil {
		return nil, fmt.Errorf("mattermost at %s does not answer: %w", url, err)
	}

	var err error
	f.Admin, f.AdminClient, err = loginOrSignUp(ctx, anon, url, AdminUsername)
	if err != nil {
		return nil, err
	}
	if !f.Admin.IsSystemAdmin() {
		return nil, fmt.Errorf("user %s is not a system admin: the server was not fresh when it was first bootstrapped (restart it with 'scripts/mattermost.sh start')", AdminUsername)
	}
	if f.Asker, f.AskerClient, err = loginOrSignUp(ctx, f.AdminClient, url, AskerUsername); err != nil {
		return nil, err
	}
	if f.Asker2, f.Asker2Client, err = loginOrSignUp(ctx, f.AdminClient, url, Asker2Username); err != nil {
		return nil, err
	}
	if err := f.ensureBot(ctx); err != nil {
		return nil, err
	}
	if err := f.ensureTeamAndChannel(ctx); err != nil {
		return nil, err
	}
	tok, _, err := f.AdminClient.CreateUserAccessToken(ctx, f.BotUser.Id, "wegwijs e2e", 0)
	if err != nil {
		return nil, fmt.Errorf("create a token for the bot: %w", err)
	}
	f.BotToken = tok.Token
	return f, nil
}

// loginOrSignUp logs in as username, creating the user (through creator)
// when the login fails.
func loginOrSignUp(ctx context.Context, creator *model.Client4, url, username string) (*model.User, *model.Client4, error) {
	c := model.NewAPIv4Client(url)
	u, _, loginErr := c.Login(ctx, username, Password)
	if loginErr == nil {
		return u, c, nil
	}
	_, _, err := creator.CreateUser(ctx, &model.User{
		Username:      username,
		Email:         username + "@wegwijs.test",
		Password:      Password,
		EmailVerified: true,
	})
	if err != nil {
		// Most likely the user exists with another password.
		return nil, nil, fmt.Errorf("log in as %s: %w; create it: %w", username, loginErr, err)
	}
	u, _, err = c.Login(ctx, username, Password)
	if err != nil {
		return nil, nil, fmt.Errorf("log in as new user %s: %w", username, err)
	}
	return u, c, nil
}

func (f *Fixture) ensureBot(ctx context.Context) error {
	a := f.AdminClient
	u, resp, err := a.GetUserByUsername(ctx, BotUsername, "")
	switch {
	case err == nil:
		if !u.IsBot {
			return fmt.Errorf("user %s exists and is not a bot", BotUsername)
		}
		if f.Bot, _, err = a.GetBot(ctx, u.Id, ""); err != nil {
			return fmt.Errorf("get bot %s: %w", BotUsername, err)
		}
	case isNotFound(resp):
		f.Bot, _, err = a.CreateBot(ctx, &model.Bot{
			Username:    BotUsername,
			DisplayName: "Wegwijs",
			Description: "Wegwijs end-to-end test bot",
		})
		if err != nil {
			return fmt.Errorf("create bot %s: %w", BotUsername, err)
		}
	default:
		return fmt.Errorf("look up bot %s: %w", BotUsername, err)
	}
	// On v6.7.2 an ephemeral post through the REST API
	// (POST /api/v4/posts/ephemeral) needs the create_post_ephemeral
	// permission system wide, which by default only system admins have.
	// Rather than making the bot a system admin, give it to the built-in
	// system_post_all role and give the bot that role.
	role, _, err := a.GetRoleByName(ctx, model.SystemPostAllRoleId)
	if err != nil {
		return fmt.Errorf("get role %s: %w", model.SystemPostAllRoleId, err)
	}
	if !hasString(role.Permissions, model.PermissionCreatePostEphemeral.Id) {
		perms := append(append([]string{}, role.Permissions...), model.PermissionCreatePostEphemeral.Id)
		if _, _, err := a.PatchRole(ctx, role.Id, &model.RolePatch{Permissions: &perms}); err != nil {
			return fmt.Errorf("add %s to role %s: %w", model.PermissionCreatePostEphemeral.Id, role.Name, err)
		}
	}
	if _, err := a.UpdateUserRoles(ctx, f.Bot.UserId, model.SystemUserRoleId+" "+model.SystemPostAllRoleId); err != nil {
		return fmt.Errorf("give the bot role %s: %w", model.SystemPostAllRoleId, err)
	}
	if f.BotUser, _, err = a.GetUser(ctx, f.Bot.UserId, ""); err != nil {
		return fmt.Errorf("get the bot's user: %w", err)
	}
	return nil
}

func (f *Fixture) ensureTeamAndChannel(ctx context.Context) error {
	a := f.AdminClient
	team, resp, err := a.GetTeamByName(ctx, TeamName, "")
	if isNotFound(resp) {
		team, _, err = a.CreateTeam(ctx, &model.Team{
			Name:        TeamName,
			DisplayName: "Wegwijs e2e",
			Type:        model.TeamOpen,
		})
	}
	if err != nil {
		return fmt.Errorf("team %s: %w", TeamName, err)
	}
	f.Team = team
	ch, resp, err := a.GetChannelByName(ctx, ChannelName, team.Id, "")
	if isNotFound(resp) {
		ch, _, err = a.CreateChannel(ctx, &model.Channel{
			TeamId:      team.Id,
			Name:        ChannelName,
			DisplayName: "Vragen",
			Type:        model.ChannelTypeOpen,
		})
	}
	if err != nil {
		return fmt.Errorf("channel %s: %w", ChannelName, err)
	}
	f.Channel = ch
	// Adding a member twice is harmless: the server answers with the
	// existing membership.
	for _, id := range []string{f.Admin.Id, f.Asker.Id, f.Asker2.Id, f.BotUser.Id} {
		if _, _, err := a.AddTeamMember(ctx, team.Id, id); err != nil {
			return fmt.Errorf("add %s to team %s: %w", id, TeamName, err)
		}
		if _, _, err := a.AddChannelMember(ctx, ch.Id, id); err != nil {
			return fmt.Errorf("add %s to channel %s: %w", id, ChannelName, err)
		}
	}
	return nil
}

// DirectChannel returns the direct message channel between the user userID
// and the bot, creating it when needed. c must be allowed to create it: the
// user's own client, or the admin's.
func (f *Fixture) DirectChannel(ctx context.Context, c *model.Client4, userID string) (*model.Channel, error) {
	ch, _, err := c.CreateDirectChannel(ctx, userID, f.BotUser.Id)
	if err != nil {
		return nil, fmt.Errorf("direct channel between %s and the bot: %w", userID, err)
	}
	return ch, nil
}

// CreateSlashCommand creates the custom slash command /trigger in the team,
// which POSTs to url; the command it returns has the Token the server sends
// along. A command with the same trigger from an earlier run is deleted
// first, so this works on a server bootstrapped before.
func (f *Fixture) CreateSlashCommand(ctx context.Context, trigger, url string) (*model.Command, error) {
	a := f.AdminClient
	cmds, _, err := a.ListCommands(ctx, f.Team.Id, true)
	if err != nil {
		return nil, fmt.Errorf("list commands: %w", err)
	}
	for _, c := range cmds {
		if c.Trigger == trigger {
			if _, err := a.DeleteCommand(ctx, c.Id); err != nil {
				return nil, fmt.Errorf("delete old command /%s: %w", trigger, err)
			}
		}
	}
	cmd, _, err := a.CreateCommand(ctx, &model.Command{
		TeamId:           f.Team.Id,
		Trigger:          trigger,
		Method:           model.CommandMethodPost,
		URL:              url,
		DisplayName:      "Wegwijs " + trigger,
		Description:      "Wegwijs e2e command",
		AutoComplete:     true,
		AutoCompleteDesc: "Ask Wegwijs",
	})
	if err != nil {
		return nil, fmt.Errorf("create command /%s: %w", trigger, err)
	}
	return cmd, nil
}

// BotClient returns a new REST client authenticated with the bot's token.
func (f *Fixture) BotClient() *model.Client4 {
	c := model.NewAPIv4Client(f.URL)
	c.SetToken(f.BotToken)
	return c
}

func isNotFound(resp *model.Response) bool {
	return resp != nil && resp.StatusCode == http.StatusNotFound
}

func hasString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// ErrNoEvent is returned by WaitEvent when no matching event arrives.
var ErrNoEvent = errors.New("mmtest: no matching WebSocket event")

// MoreUsers logs in as (or creates) n more askers, "asker-1" … "asker-n",
// members of the team and the channel, for tests with many people asking
// at once.
func (f *Fixture) MoreUsers(ctx context.Context, n int) ([]*model.User, []*model.Client4, error) {
	var users []*model.User
	var clients []*model.Client4
	for i := 1; i <= n; i++ {
		u, c, err := loginOrSignUp(ctx, f.AdminClient, f.URL, fmt.Sprintf("%s-%d", AskerUsername, i))
		if err != nil {
			return nil, nil, err
		}
		if _, _, err := f.AdminClient.AddTeamMember(ctx, f.Team.Id, u.Id); err != nil {
			return nil, nil, fmt.Errorf("add %s to the team: %w", u.Username, err)
		}
		if _, _, err := f.AdminClient.AddChannelMember(ctx, f.Channel.Id, u.Id); err != nil {
			return nil, nil, fmt.Errorf("add %s to the channel: %w", u.Username, err)
		}
		users, clients = append(users, u), append(clients, c)
	}
	return users, clients, nil
}
