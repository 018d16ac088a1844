package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wegwijs/wegwijs/bot"
	"github.com/wegwijs/wegwijs/bot/curate"
	"github.com/wegwijs/wegwijs/bot/mattermost"
	"github.com/wegwijs/wegwijs/bot/metrics"
	"github.com/wegwijs/wegwijs/bot/slack"
	"github.com/wegwijs/wegwijs/retrieval/postgres"
)

// ServeConfig is what `wegwijs serve` reads from the environment.
type ServeConfig struct {
	HTTPAddr        string        // WEGWIJS_HTTP_ADDR
	CallbackURL     string        // WEGWIJS_CALLBACK_URL: where a chat server reaches serve
	RatePerMinute   float64       // WEGWIJS_RATE_PER_MINUTE: questions per user per minute
	RateBurst       int           // WEGWIJS_RATE_BURST: questions at once
	AnswerTimeout   time.Duration // WEGWIJS_ANSWER_TIMEOUT: per message
	ShutdownTimeout time.Duration // WEGWIJS_SHUTDOWN_TIMEOUT: to finish answers under way
	CatchUpMaxAge   time.Duration // WEGWIJS_CATCHUP_MAX_AGE: missed messages older than this are not answered
	EventRetention  time.Duration // how long handled event ids are kept (a day)

	Mattermost *mattermost.Config // nil: not configured
	Slack      *slack.Config      // nil: not configured

	// Who may change the knowledge base from chat, per platform: user ids
	// (Mattermost also @name) and an admin channel (Mattermost also
	// team/channel). WEGWIJS_KB_USERS_MATTERMOST, WEGWIJS_KB_CHANNEL_MATTERMOST,
	// WEGWIJS_KB_USERS_SLACK, WEGWIJS_KB_CHANNEL_SLACK.
	KBUsers    map[string][]string
	KBChannels map[string]string
	KBContact  string // WEGWIJS_KB_CONTACT: who can help, named in a refusal
	// UnansweredDays: WEGWIJS_UNANSWERED_DAYS, how long unanswered
	// questions are kept (redacted) for /wegwijs hiaten; 0: not kept.
	UnansweredDays int
	// RestoreDays: WEGWIJS_RESTORE_DAYS, how long a removed or replaced
	// version can be restored, and a draft waits.
	RestoreDays int
	// CheckQuestions: WEGWIJS_CHECK_QUESTIONS, the question sets a draft
	// is checked with (paths, separated by commas).
	CheckQuestions string
}

// Defaults of serve's settings.
const (
	DefaultHTTPAddr        = "127.0.0.1:8080"
	DefaultRatePerMinute   = 10
	DefaultRateBurst       = 5
	DefaultAnswerTimeout   = 90 * time.Second
	DefaultShutdownTimeout = 30 * time.Second
	DefaultRestoreDays     = 30
	eventRetention         = 24 * time.Hour
)

// serveVariables says which variables start which platform, for `serve`
// with nothing configured.
const serveVariables = `Wegwijs serve heeft een chatplatform nodig. Zet deze omgevingsvariabelen:

  Mattermost:
    MATTERMOST_URL            het adres van de Mattermost-server, bijv. https://chat.gemeente.nl
    MATTERMOST_TOKEN          het toegangstoken van het botaccount
    MATTERMOST_COMMAND_TOKEN  (optioneel) het token van de slash-opdracht /wegwijs
    WEGWIJS_CALLBACK_URL      (optioneel) waar Mattermost wegwijs bereikt, voor de knop "Delen in het kanaal"

  Slack (Socket Mode, geen openbaar adres nodig):
    SLACK_BOT_TOKEN           het bot-token van de app (begint met xoxb-)
    SLACK_APP_TOKEN           het app-token voor Socket Mode (begint met xapp-)

  Verder (optioneel):
    WEGWIJS_HTTP_ADDR         adres voor /healthz, /readyz, /metrics en de slash-opdracht (standaard 127.0.0.1:8080)
    WEGWIJS_RATE_PER_MINUTE   vragen per gebruiker per minuut (standaard 10), WEGWIJS_RATE_BURST (standaard 5)
    WEGWIJS_ANSWER_TIMEOUT    maximale tijd per bericht (standaard 90s)

  Beleidsmedewerkers die de kennisbank vanuit de chat bijhouden (optioneel):
    WEGWIJS_KB_USERS_MATTERMOST   gebruikers, gescheiden door komma's: @naam of gebruikers-id
    WEGWIJS_KB_CHANNEL_MATTERMOST een beheerkanaal: team/kanaal (uit het adres) of kanaal-id
    WEGWIJS_KB_USERS_SLACK        gebruikers-id's (U…), gescheiden door komma's
    WEGWIJS_KB_CHANNEL_SLACK      een beheerkanaal-id (C…)
    WEGWIJS_KB_CONTACT            wie een weigering noemt als hulp, bijv. "Fatima (functioneel beheer)"
    WEGWIJS_UNANSWERED_DAYS       zoveel dagen onbeantwoorde vragen bewaren (geschoond) voor /wegwijs hiaten (standaard 0: uit)
    WEGWIJS_RESTORE_DAYS          zoveel dagen kan een weggehaalde of vervangen versie terug (standaard 30)
    WEGWIJS_CHECK_QUESTIONS       vragensets (YAML, gescheiden door komma's) waarmee een nieuw concept eerst wordt gecontroleerd

Zie docs/installatie.md (Mattermost) en docs/installatie-slack.md (Slack).`

func loadServeConfig(getenv func(string) string) (ServeConfig, error) {
	c := ServeConfig{HTTPAddr: first(getenv("WEGWIJS_HTTP_ADDR"), DefaultHTTPAddr), CallbackURL: getenv("WEGWIJS_CALLBACK_URL"),
		RatePerMinute: DefaultRatePerMinute, RateBurst: DefaultRateBurst, AnswerTimeout: DefaultAnswerTimeout,
		ShutdownTimeout: DefaultShutdownTimeout, CatchUpMaxAge: mattermost.DefaultCatchUpMaxAge, EventRetention: eventRetention}
	if _, _, err := net.SplitHostPort(c.HTTPAddr); err != nil {
		return c, usagef("WEGWIJS_HTTP_ADDR moet een adres met poort zijn, bijvoorbeeld 127.0.0.1:8080 (nu %q).", c.HTTPAddr)
	}
	if c.CallbackURL != "" {
		if u, err := url.Parse(c.CallbackURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return c, usagef("WEGWIJS_CALLBACK_URL moet een adres zijn dat de chatserver bereikt, bijvoorbeeld http://10.0.0.5:8080 (nu %q).", c.CallbackURL)
		}
	}
	var err error
	if c.RatePerMinute, err = positiveFloat(getenv, "WEGWIJS_RATE_PER_MINUTE", c.RatePerMinute); err != nil {
		return c, err
	}
	if v := getenv("WEGWIJS_RATE_BURST"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return c, usagef("WEGWIJS_RATE_BURST moet een positief geheel getal zijn (nu %q).", v)
		}
		c.RateBurst = n
	}
	for _, d := range []struct {
		name string
		into *time.Duration
	}{{"WEGWIJS_ANSWER_TIMEOUT", &c.AnswerTimeout}, {"WEGWIJS_SHUTDOWN_TIMEOUT", &c.ShutdownTimeout}, {"WEGWIJS_CATCHUP_MAX_AGE", &c.CatchUpMaxAge}} {
		if v := getenv(d.name); v != "" {
			x, err := time.ParseDuration(v)
			if err != nil || x <= 0 {
				return c, usagef("%s moet een duur zijn, bijvoorbeeld 30s of 5m (nu %q).", d.name, v)
			}
			*d.into = x
		}
	}
	mmURL, mmToken := getenv("MATTERMOST_URL"), getenv("MATTERMOST_TOKEN")
	switch {
	case mmURL != "" && mmToken == "":
		return c, usagef("MATTERMOST_URL is gezet, maar MATTERMOST_TOKEN ontbreekt: zet daar het toegangstoken van het botaccount (Systeemconsole > Integraties > Botaccounts).")
	case mmURL == "" && mmToken != "":
		return c, usagef("MATTERMOST_TOKEN is gezet, maar MATTERMOST_URL ontbreekt: zet daar het adres van de Mattermost-server, bijvoorbeeld https://chat.gemeente.nl.")
	case mmURL != "":
		mc := &mattermost.Config{URL: mmURL, Token: mmToken, CallbackURL: c.CallbackURL, ActionSecret: getenv("WEGWIJS_ACTION_SECRET"),
			CatchUpMaxAge: c.CatchUpMaxAge, Deadline: c.AnswerTimeout}
		for _, t := range strings.Split(getenv("MATTERMOST_COMMAND_TOKEN"), ",") {
			if t = strings.TrimSpace(t); t != "" {
				mc.CommandTokens = append(mc.CommandTokens, t)
			}
		}
		if mc.CallbackURL == "" {
			mc.CallbackURL = "http://" + c.HTTPAddr
		}
		if u, err := url.Parse(mmURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return c, usagef("MATTERMOST_URL moet het adres van de server zijn, bijvoorbeeld https://chat.gemeente.nl (nu %q).", mmURL)
		}
		c.Mattermost = mc
	}
	botToken, appToken := getenv("SLACK_BOT_TOKEN"), getenv("SLACK_APP_TOKEN")
	switch {
	case botToken != "" && appToken == "":
		return c, usagef("SLACK_BOT_TOKEN is gezet, maar SLACK_APP_TOKEN ontbreekt: maak in de app-instellingen onder Basic Information > App-Level Tokens een token met connections:write (begint met xapp-).")
	case botToken == "" && appToken != "":
		return c, usagef("SLACK_APP_TOKEN is gezet, maar SLACK_BOT_TOKEN ontbreekt: zet daar de Bot User OAuth Token van de geïnstalleerde app (begint met xoxb-).")
	case botToken != "":
		if !strings.HasPrefix(botToken, "xoxb-") {
			return c, usagef("SLACK_BOT_TOKEN moet het bot-token van de app zijn; dat begint met xoxb- (nu begint het met %q).", prefix(botToken))
		}
		if !strings.HasPrefix(appToken, "xapp-") {
			return c, usagef("SLACK_APP_TOKEN moet een app-token voor Socket Mode zijn; dat begint met xapp- (nu begint het met %q).", prefix(appToken))
		}
		sc := &slack.Config{BotToken: botToken, AppToken: appToken, APIURL: getenv("SLACK_API_URL"), Deadline: c.AnswerTimeout}
		if v := getenv("SLACK_PING_TIMEOUT"); v != "" {
			d, err := time.ParseDuration(v)
			if err != nil || d <= 0 {
				return c, usagef("SLACK_PING_TIMEOUT moet een duur zijn, bijvoorbeeld 30s (nu %q).", v)
			}
			sc.PingTimeout = d
		}
		c.Slack = sc
	}
	if c.Mattermost == nil && c.Slack == nil {
		return c, usagef("%s", serveVariables)
	}
	if err := loadCurationConfig(getenv, &c); err != nil {
		return c, err
	}
	return c, nil
}

// loadCurationConfig reads who may change the knowledge base from chat,
// and how long what it keeps stays.
func loadCurationConfig(getenv func(string) string, c *ServeConfig) error {
	c.KBUsers, c.KBChannels, c.KBContact = map[string][]string{}, map[string]string{}, getenv("WEGWIJS_KB_CONTACT")
	c.CheckQuestions = getenv("WEGWIJS_CHECK_QUESTIONS")
	for _, p := range []struct {
		platform, suffix string
		on               bool
	}{{mattermost.Platform, "MATTERMOST", c.Mattermost != nil}, {slack.Platform, "SLACK", c.Slack != nil}} {
		users, channel := "WEGWIJS_KB_USERS_"+p.suffix, "WEGWIJS_KB_CHANNEL_"+p.suffix
		if !p.on && (getenv(users) != "" || getenv(channel) != "") {
			return usagef("%s of %s is gezet, maar %s is niet ingesteld. Zet eerst de variabelen van dat platform.", users, channel, p.suffix)
		}
		for _, u := range strings.Split(getenv(users), ",") {
			if u = strings.TrimSpace(u); u != "" {
				if strings.ContainsAny(u, " \t") {
					return usagef("%s: %q is geen gebruiker; geef id's of @namen, gescheiden door komma's.", users, u)
				}
				c.KBUsers[p.platform] = append(c.KBUsers[p.platform], u)
			}
		}
		if ch := strings.TrimSpace(getenv(channel)); ch != "" {
			if strings.ContainsAny(ch, " ,") {
				return usagef("%s is één kanaal (nu %q).", channel, ch)
			}
			c.KBChannels[p.platform] = ch
		}
	}
	c.RestoreDays = DefaultRestoreDays
	for _, d := range []struct {
		name string
		into *int
		min  int
	}{{"WEGWIJS_UNANSWERED_DAYS", &c.UnansweredDays, 0}, {"WEGWIJS_RESTORE_DAYS", &c.RestoreDays, 1}} {
		if v := getenv(d.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < d.min || n > 3650 {
				return usagef("%s moet een aantal dagen zijn, van %d tot 3650 (nu %q).", d.name, d.min, v)
			}
			*d.into = n
		}
	}
	return nil
}

// prefix shows the start of a token, never the secret part.
func prefix(tok string) string {
	if i := strings.IndexByte(tok, '-'); i >= 0 && i < 6 {
		return tok[:i+1]
	}
	return string([]rune(tok)[:min(3, len([]rune(tok)))])
}

func positiveFloat(getenv func(string) string, name string, def float64) (float64, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	x, err := strconv.ParseFloat(strings.Replace(v, ",", ".", 1), 64)
	if err != nil || x <= 0 {
		return 0, usagef("%s moet een positief getal zijn (nu %q).", name, v)
	}
	return x, nil
}

// platform is a running chat adapter, as serve sees it.
type platform interface {
	Run(ctx context.Context) error
	Wait(ctx context.Context) error
	Connected() bool
}

// serve runs the configured chat adapters and the HTTP server until ctx
// ends (SIGTERM, Ctrl-C): then it stops taking new messages, finishes the
// answers under way (at most ShutdownTimeout) and exits.
func (e *env) serve(ctx context.Context, args []string) error {
	if len(args) > 0 {
		return usagef("wegwijs serve neemt geen argumenten; de instellingen komen uit omgevingsvariabelen.\n\n%s", serveVariables)
	}
	cfg, err := loadServeConfig(e.getenv)
	if err != nil {
		return err
	}
	s, b, err := e.openBot(ctx)
	if err != nil {
		return err
	}
	defer s.Close()
	b.Budget = cfg.AnswerTimeout
	m := metrics.New()
	chat := &bot.Chat{Bot: b, Events: s, Feedback: s, Observer: m, Log: e.log,
		Limiter: &bot.RateLimiter{PerMinute: cfg.RatePerMinute, Burst: cfg.RateBurst}, Threads: &bot.Threads{}}
	if cfg.UnansweredDays > 0 {
		chat.Unanswered = s
	}
	in, err := e.ingester(s)
	if err != nil {
		return err
	}
	sets, err := loadCheckSets(cfg.CheckQuestions)
	if err != nil {
		return err
	}
	lib := &library{store: s, in: in, check: e.draftCheck(s, sets)}
	// the policy is filled in once the platforms can resolve names
	curator := &curate.Curator{Library: lib, MaxBytes: e.cfg.MaxFileMB << 20, GapsDays: cfg.UnansweredDays, Log: e.log}
	mux := http.NewServeMux()
	platforms := map[string]platform{}
	if cfg.Mattermost != nil {
		mm, err := mattermost.New(ctx, *cfg.Mattermost, chat, curator, e.log)
		if err != nil {
			return usagef("Mattermost: %v", dutchAdapterError(err))
		}
		platforms[mattermost.Platform] = mm
		if err := resolveCurators(ctx, &cfg, mm); err != nil {
			return err
		}
		mux.Handle("POST "+mattermost.CommandPath, mm.CommandHandler())
		mux.Handle("POST "+mattermost.ActionPath, mm.ActionHandler())
		fmt.Fprintf(e.stdout, "Mattermost: verbonden als @%s met %s\n", mm.Username(), cfg.Mattermost.URL)
	}
	if cfg.Slack != nil {
		sl, err := slack.New(ctx, *cfg.Slack, chat, s, curator, e.log)
		if err != nil {
			return usagef("Slack: %v", dutchAdapterError(err))
		}
		platforms[slack.Platform] = sl
		fmt.Fprintf(e.stdout, "Slack: aangemeld als bot %s (Socket Mode)\n", sl.BotUserID())
	}
	curator.Policy = curate.Policy{Users: cfg.KBUsers, Channels: cfg.KBChannels, Contact: cfg.KBContact}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { fmt.Fprintln(w, "ok") })
	mux.Handle("GET /readyz", readyHandler(s, platforms))
	mux.Handle("GET /metrics", m.Handler())

	ln, err := net.Listen("tcp", cfg.HTTPAddr)
	if err != nil {
		return usagef("WEGWIJS_HTTP_ADDR: op %s kan ik niet luisteren (%v). Kies een andere poort.", cfg.HTTPAddr, err)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(e.stdout, "Wegwijs luistert op http://%s (/healthz, /readyz, /metrics). Stoppen: Ctrl-C of SIGTERM.\n", ln.Addr())
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			e.log.Error("http server", "err", err)
		}
	}()

	runCtx, stopPlatforms := context.WithCancel(ctx)
	defer stopPlatforms()
	var wg sync.WaitGroup
	for name, p := range platforms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := p.Run(runCtx); err != nil {
				e.log.Error("platform stopped", "platform", name, "err", err)
			}
		}()
	}
	go purgeEvents(runCtx, s, cfg.EventRetention, e)
	go purgeCuration(runCtx, s, cfg, e)

	<-ctx.Done()
	e.log.Info("shutting down: no new messages, finishing answers under way")
	stopPlatforms()
	wg.Wait()
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		e.log.Warn("http shutdown", "err", err)
	}
	for name, p := range platforms {
		if err := p.Wait(sctx); err != nil {
			e.log.Warn("answers still under way at shutdown", "platform", name)
		}
	}
	fmt.Fprintln(e.stdout, "Wegwijs is gestopt.")
	return nil
}

// dutchAdapterError says an adapter's start-up error in Dutch.
func dutchAdapterError(err error) string {
	msg := err.Error()
	switch {
	case strings.HasPrefix(msg, "MATTERMOST_TOKEN"):
		return "MATTERMOST_TOKEN wordt niet geaccepteerd door de server. Gebruik het toegangstoken van een botaccount (Systeemconsole > Integraties > Botaccounts)."
	case strings.HasPrefix(msg, "MATTERMOST_URL"):
		return "de Mattermost-server op MATTERMOST_URL is niet bereikbaar. Controleer het adres en of de server draait."
	case strings.HasPrefix(msg, "SLACK_BOT_TOKEN is not accepted"):
		return "SLACK_BOT_TOKEN wordt niet geaccepteerd door Slack (auth.test mislukte). Gebruik de Bot User OAuth Token van de geïnstalleerde app (OAuth & Permissions), en installeer de app opnieuw als het token is ingetrokken."
	case strings.HasPrefix(msg, "SLACK_BOT_TOKEN"):
		return "Slack is niet bereikbaar (auth.test lukte niet). Controleer de internetverbinding of de proxy van deze server."
	}
	return "starten lukte niet. Zet WEGWIJS_LOG_LEVEL=info voor de technische details."
}

// readyHandler says whether serve can answer: the database reachable and
// every platform connected.
func readyHandler(s interface{ Ping(context.Context) error }, platforms map[string]platform) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		ctx, cancel := context.WithTimeout(req.Context(), 2*time.Second)
		defer cancel()
		state := map[string]string{"database": "ok"}
		ready := true
		if err := s.Ping(ctx); err != nil {
			state["database"], ready = "niet bereikbaar", false
		}
		for name, p := range platforms {
			if p.Connected() {
				state[name] = "verbonden"
			} else {
				state[name], ready = "niet verbonden", false
			}
		}
		w.Header().Set("Content-Type", "application/json")
		if !ready {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		json.NewEncoder(w).Encode(state)
	})
}

// purgeEvents removes handled event ids older than the retention, and
// answers kept for sharing older than an hour, at start and every ten
// minutes.
func purgeEvents(ctx context.Context, s interface {
	PurgeEvents(context.Context, time.Duration) (int64, error)
	PurgeShares(context.Context, time.Duration) (int64, error)
}, retention time.Duration, e *env) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		if n, err := s.PurgeEvents(ctx, retention); err != nil {
			e.log.Warn("purge handled events", "err", err)
		} else if n > 0 {
			e.log.Info("purged handled events", "rows", n)
		}
		if n, err := s.PurgeShares(ctx, time.Hour); err != nil {
			e.log.Warn("purge shares", "err", err)
		} else if n > 0 {
			e.log.Info("purged answers kept for sharing", "rows", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// resolveCurators turns the Mattermost @names and team/channel of the
// curation settings into ids.
func resolveCurators(ctx context.Context, cfg *ServeConfig, mm *mattermost.Adapter) error {
	users := cfg.KBUsers[mattermost.Platform]
	for i, u := range users {
		id, err := mm.ResolveUser(ctx, u)
		if err != nil {
			return usagef("WEGWIJS_KB_USERS_MATTERMOST: de gebruiker %s bestaat niet op de Mattermost-server, of de bot mag hem niet zien.", u)
		}
		users[i] = id
	}
	if ch := cfg.KBChannels[mattermost.Platform]; ch != "" {
		id, err := mm.ResolveChannel(ctx, ch)
		if err != nil {
			return usagef("WEGWIJS_KB_CHANNEL_MATTERMOST: het kanaal %s vind ik niet. Geef team/kanaal zoals in het adres van het kanaal, en voeg de bot toe aan het team.", ch)
		}
		cfg.KBChannels[mattermost.Platform] = id
	}
	return nil
}

// purgeCuration drops what knowledge-base work from chat keeps past its
// time, at start and every hour: drafts and versions kept to restore
// older than RestoreDays, unanswered questions older than UnansweredDays
// (all of them when that log is off), and what a crashed draft check left.
func purgeCuration(ctx context.Context, s *postgres.Store, cfg ServeConfig, e *env) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := s.PurgeShelf(ctx, time.Duration(cfg.RestoreDays)*24*time.Hour); err != nil {
			e.log.Warn("purge drafts and versions kept to restore", "err", err)
		} else if n > 0 {
			e.log.Info("purged drafts and versions kept to restore", "versions", n)
		}
		if n := curate.CleanTemp("", time.Hour); n > 0 {
			e.log.Info("removed files a crash left while reading an upload", "files", n)
		}
		if n, err := s.DropCheckCopies(ctx, time.Hour); err != nil {
			e.log.Warn("drop check copies", "err", err)
		} else if n > 0 {
			e.log.Info("dropped check copies a crash left", "schemas", n)
		}
		if n, err := s.PurgeUnanswered(ctx, cfg.UnansweredDays); err != nil {
			e.log.Warn("purge unanswered questions", "err", err)
		} else if n > 0 {
			e.log.Info("purged unanswered questions", "rows", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
