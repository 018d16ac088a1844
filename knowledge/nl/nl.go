// Package nl owns the Dutch language as Wegwijs reads it: words and how
// they are split and folded, stems (the classic Snowball Dutch stemmer),
// stop words, sentences and the claims of an answer, verb and plural
// forms, telling English from Dutch, and the types of fact a question asks
// for or a sentence gives.
//
// It is a leaf: it imports the standard library and the Snowball stemmer
// library (github.com/blevesearch/snowballstem) only, never a package of
// this module. It knows no documents, passages, thresholds or answers:
// what to do with a word, a sentence or an answer type is its callers'
// policy. Its lists are fixed at build time; nothing in it changes at run
// time.
package nl
