-- A version that is no longer active (replaced by a newer one, or removed)
-- keeps only what the version history needs: slug, version, format, pages,
-- content hash and timestamps. Its title, publisher, region, link, source
-- and folder could hold pupil data (a name or a BSN in a file name or a
-- title), so they are blanked; Replace and Remove do the same from now on.
UPDATE documents
   SET title = '', publisher = '', region = '', url = '', published = NULL, source = '', origin = ''
 WHERE NOT active
   AND (title <> '' OR publisher <> '' OR region <> '' OR url <> '' OR published IS NOT NULL
        OR source <> '' OR origin <> '');
