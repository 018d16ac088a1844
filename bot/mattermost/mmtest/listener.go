package mmtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/gorilla/websocket"
	"github.com/mattermost/mattermost/server/public/model"
)

// Listener reads everything a WebSocket client receives, so that none of
// its channels blocks (model.WebSocketClient requires its EventChannel,
// ResponseChannel and PingTimeoutChannel to be read), and keeps the events
// for a test to wait on.
type Listener struct {
	WS *model.WebSocketClient

	mu      sync.Mutex
	events  []*model.WebSocketEvent
	changed chan struct{} // closed and replaced on every event and at the end
	closed  bool
}

// Listen opens a WebSocket to the server at url (http://...) with token (a
// session or personal access token) and returns once the server has said
// hello, which it does after the authentication challenge succeeded.
func Listen(ctx context.Context, url, token string) (*Listener, error) {
	ws, err := model.NewWebSocketClient4(WebSocketURL(url), token)
	if err != nil {
		return nil, fmt.Errorf("open websocket: %w", err)
	}
	l := &Listener{WS: ws, changed: make(chan struct{})}
	ws.Listen()
	go l.read()
	if _, err := l.Wait(ctx, OfType(model.WebsocketEventHello)); err != nil {
		ws.Close()
		return nil, fmt.Errorf("websocket hello: %w", err)
	}
	return l, nil
}

// Resume reconnects to the WebSocket connection connID (the
// "connection_id" of its hello event, see ConnectionID) after a short drop,
// asking for the events from sequence number next on (LastSequence()+1).
// While the server keeps running it holds a dropped connection and queues
// its events (up to 256) until a sweep, every 5 minutes, finds it without
// user activity for 5 minutes; it then sends them on the resumed
// connection, without a new hello. When it no longer knows the connection
// (it restarted, or the sweep removed it) it starts a new one and says
// hello: the caller then has to catch up through the REST API. Resuming needs
// the token in the Authorization header (withAuthHeader true), as the server
// looks the connection up before the authentication challenge.
func Resume(url, token, connID string, next int64) (*Listener, error) {
	ws, err := model.NewReliableWebSocketClientWithDialer(websocket.DefaultDialer, WebSocketURL(url), token, connID, int(next), true)
	if err != nil {
		return nil, fmt.Errorf("resume websocket: %w", err)
	}
	l := &Listener{WS: ws, changed: make(chan struct{})}
	ws.Listen()
	go l.read()
	return l, nil
}

// ConnectionID returns the connection id of the hello event, or "".
func (l *Listener) ConnectionID() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, ev := range l.events {
		if ev.EventType() == model.WebsocketEventHello {
			id, _ := ev.GetData()["connection_id"].(string)
			return id
		}
	}
	return ""
}

// LastSequence returns the sequence number of the last event received.
func (l *Listener) LastSequence() int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.events) == 0 {
		return -1
	}
	return l.events[len(l.events)-1].GetSequence()
}

func (l *Listener) read() {
	events, responses, pings := l.WS.EventChannel, l.WS.ResponseChannel, l.WS.PingTimeoutChannel
	for events != nil || responses != nil {
		select {
		case ev, ok := <-events:
			if !ok {
				events = nil
				continue
			}
			l.mu.Lock()
			l.events = append(l.events, ev)
			close(l.changed)
			l.changed = make(chan struct{})
			l.mu.Unlock()
		case _, ok := <-responses:
			if !ok {
				responses = nil
			}
		case <-pings:
		}
	}
	l.mu.Lock()
	l.closed = true
	close(l.changed)
	l.mu.Unlock()
}

// Wait returns the first event received so far or later for which match is
// true. It fails when ctx ends or the connection closes first.
func (l *Listener) Wait(ctx context.Context, match func(*model.WebSocketEvent) bool) (*model.WebSocketEvent, error) {
	seen := 0
	for {
		l.mu.Lock()
		for ; seen < len(l.events); seen++ {
			if match(l.events[seen]) {
				ev := l.events[seen]
				l.mu.Unlock()
				return ev, nil
			}
		}
		closed, changed := l.closed, l.changed
		l.mu.Unlock()
		if closed {
			if l.WS.ListenError != nil {
				return nil, fmt.Errorf("%w: connection closed: %v", ErrNoEvent, l.WS.ListenError)
			}
			return nil, fmt.Errorf("%w: connection closed", ErrNoEvent)
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return nil, fmt.Errorf("%w: %w", ErrNoEvent, ctx.Err())
		}
	}
}

// Done is closed when the connection has ended and every event is read.
func (l *Listener) Done() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.closed
}

// Close closes the connection.
func (l *Listener) Close() { l.WS.Close() }

// OfType matches events of type t.
func OfType(t model.WebsocketEventType) func(*model.WebSocketEvent) bool {
	return func(ev *model.WebSocketEvent) bool { return ev.EventType() == t }
}

// PostedWith matches the "posted" event of the post with id postID.
func PostedWith(postID string) func(*model.WebSocketEvent) bool {
	return func(ev *model.WebSocketEvent) bool {
		if ev.EventType() != model.WebsocketEventPosted {
			return false
		}
		p, err := EventPost(ev)
		return err == nil && p.Id == postID
	}
}

// EventPost decodes the post of a "posted", "post_edited" or
// "ephemeral_message" event: the server sends it as a JSON string in the
// "post" data field.
func EventPost(ev *model.WebSocketEvent) (*model.Post, error) {
	var p model.Post
	if err := jsonField(ev, "post", &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// EventReaction decodes the reaction of a "reaction_added" event.
func EventReaction(ev *model.WebSocketEvent) (*model.Reaction, error) {
	var r model.Reaction
	if err := jsonField(ev, "reaction", &r); err != nil {
		return nil, err
	}
	return &r, nil
}

// EventMentions returns the user ids a "posted" event says the post
// mentions: the "mentions" data field, a JSON array in a string, absent
// when the post mentions nobody.
func EventMentions(ev *model.WebSocketEvent) ([]string, error) {
	if _, ok := ev.GetData()["mentions"]; !ok {
		return nil, nil
	}
	var ids []string
	if err := jsonField(ev, "mentions", &ids); err != nil {
		return nil, err
	}
	return ids, nil
}

func jsonField(ev *model.WebSocketEvent, key string, v any) error {
	raw, ok := ev.GetData()[key]
	if !ok {
		return fmt.Errorf("event %s has no %q field", ev.EventType(), key)
	}
	s, ok := raw.(string)
	if !ok {
		return fmt.Errorf("event %s: field %q is %T, not a JSON string", ev.EventType(), key, raw)
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return errors.Join(fmt.Errorf("event %s: decode field %q", ev.EventType(), key), err)
	}
	return nil
}

// Events returns the events received so far, oldest first.
func (l *Listener) Events() []*model.WebSocketEvent {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]*model.WebSocketEvent(nil), l.events...)
}
