package bot

import (
	"context"
	"errors"
	"strconv"

	"github.com/wegwijs/wegwijs/retrieval"
)

// Failure says what kept a question from being answered. Its Dutch text is
// what the asker reads; the error behind it goes to the log only.
type Failure int

const (
	NoFailure Failure = iota
	// GuardFailed: the privacy guard failed or timed out; the question
	// was not used at all.
	GuardFailed
	// DatabaseDown: the knowledge base could not be reached.
	DatabaseDown
	// SearchFailed: the search failed for another reason.
	SearchFailed
	// OutOfTime: the question's time budget ran out.
	OutOfTime
	// Canceled: the caller stopped waiting (a shutdown, Ctrl-C).
	Canceled
	// RateLimited: the asker asked too many questions in a short time.
	RateLimited
)

var failureCodes = [...]string{"", "guard_failed", "database_down", "search_failed", "out_of_time", "canceled", "rate_limited"}

// String is a stable code for logs, metrics and scripts.
func (f Failure) String() string {
	if f >= 0 && int(f) < len(failureCodes) {
		return failureCodes[f]
	}
	return "failure_" + strconv.Itoa(int(f))
}

// Dutch is the message for the asker: what happened and what to do.
func (f Failure) Dutch() string {
	switch f {
	case GuardFailed:
		return "Ik kan je vraag nu niet veilig verwerken: de controle op persoonsgegevens lukte niet. Ik heb je vraag niet gebruikt en niets opgeslagen. Probeer het zo nog eens."
	case DatabaseDown:
		return "Ik kan nu even niet zoeken: de kennisbank is niet bereikbaar. Probeer het over een paar minuten opnieuw."
	case OutOfTime:
		return "Het zoeken duurde te lang, dus ik ben gestopt. Probeer het over een paar minuten opnieuw, of stel je vraag korter."
	case Canceled:
		return "Ik ben gestopt voordat je vraag beantwoord was. Stel je vraag gerust opnieuw."
	case RateLimited:
		return "Je hebt veel vragen kort na elkaar gesteld. Wacht even een minuutje en stel je vraag dan opnieuw."
	case NoFailure:
		return ""
	}
	return "Er ging bij mij iets mis, dus ik kan je vraag nu niet beantwoorden. Probeer het over een paar minuten opnieuw."
}

// failureOf says which failure err is. budget is the context of the
// question's time budget, parent the caller's.
func failureOf(err error, parent, budget context.Context) Failure {
	switch {
	case errors.Is(err, ErrGuard):
		return GuardFailed
	case errors.Is(parent.Err(), context.Canceled):
		return Canceled
	case budget.Err() != nil || errors.Is(err, context.DeadlineExceeded):
		return OutOfTime // the question's budget, or the caller's deadline
	case errors.Is(err, retrieval.ErrUnavailable):
		return DatabaseDown
	}
	return SearchFailed
}

// ErrGuard means the privacy guard failed or timed out: nothing else ran.
var ErrGuard = errors.New("privacy guard failed")
