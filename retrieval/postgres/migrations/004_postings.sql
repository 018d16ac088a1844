-- The chunks holding each rare word (as in lexicon), so fuzzy matching
-- scores chunks from this list instead of reading every chunk that holds a
-- matched word (100k chunks: a question's trigram list 60 -> 30 ms).
-- Only words in at most max(500, 0.5% of the chunks) chunks are listed:
-- more common words bring no fuzzy candidates (see candidateMaxDocs in
-- search.go, which must not allow more).
CREATE MATERIALIZED VIEW postings AS
    SELECT w.word, array_agg(c.id ORDER BY c.id) AS ids
    FROM chunks c
    JOIN documents d ON d.id = c.document_id
    CROSS JOIN LATERAL unnest(tsvector_to_array(c.words)) AS w(word)
    WHERE d.active
    GROUP BY w.word
    HAVING count(*) <= greatest(500, 0.005 * (SELECT count(*) FROM chunks c2 JOIN documents d2 ON d2.id = c2.document_id WHERE d2.active));
CREATE UNIQUE INDEX postings_word ON postings (word);
