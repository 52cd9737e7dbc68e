-- The board's `/` search ("filter keystroke -> updated board <= 50 ms" on 100,000
-- leads): LIKE '%word%' over five columns is a full scan (~600 ms), so the searched
-- columns get a trigram index. An external-content FTS5 table (SQLite's own
-- substring index; case-insensitive) kept in step with `leads` by triggers, so no
-- write path can forget it. PostgreSQL uses pg_trgm for the same (its 0006).
-- Searching only: it is not a table of the data model (the drift test skips it).
CREATE VIRTUAL TABLE lead_search USING fts5(
    full_name, email, phone, whatsapp, message,
    content = 'leads', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO lead_search (lead_search) VALUES ('rebuild');

CREATE TRIGGER tr_leads_search_insert AFTER INSERT ON leads BEGIN
    INSERT INTO lead_search (rowid, full_name, email, phone, whatsapp, message)
    VALUES (new.id, new.full_name, new.email, new.phone, new.whatsapp, new.message);
END;

CREATE TRIGGER tr_leads_search_delete AFTER DELETE ON leads BEGIN
    INSERT INTO lead_search (lead_search, rowid, full_name, email, phone, whatsapp, message)
    VALUES ('delete', old.id, old.full_name, old.email, old.phone, old.whatsapp, old.message);
END;

CREATE TRIGGER tr_leads_search_update AFTER UPDATE OF full_name, email, phone, whatsapp, message ON leads BEGIN
    INSERT INTO lead_search (lead_search, rowid, full_name, email, phone, whatsapp, message)
    VALUES ('delete', old.id, old.full_name, old.email, old.phone, old.whatsapp, old.message);
    INSERT INTO lead_search (rowid, full_name, email, phone, whatsapp, message)
    VALUES (new.id, new.full_name, new.email, new.phone, new.whatsapp, new.message);
END;
