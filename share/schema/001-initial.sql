-- hyptokens schema, version 1. Applied in one transaction by the store,
-- which then sets PRAGMA user_version = 1. Later changes go into new
-- files (002-*.sql, ...), never into this one.

CREATE TABLE hyp_web_api_tokens (
	id			INTEGER PRIMARY KEY,
	hyper_user_name		TEXT NOT NULL UNIQUE,
	created_on_utc		INTEGER NOT NULL,
	domain_address		TEXT NOT NULL UNIQUE,
	domain_purpose		TEXT NOT NULL,
	max_tenants		INTEGER NOT NULL,
	max_threads		INTEGER NOT NULL,
	control_socket		TEXT NOT NULL DEFAULT '',
	token_life_hours	INTEGER NOT NULL DEFAULT 1,
	access_until_utc	INTEGER NOT NULL DEFAULT 0,
	last_token_refresh_utc	INTEGER NOT NULL DEFAULT 0,
	max_posts_per_ip_per_minute INTEGER NOT NULL DEFAULT 0,
	session_timeout_minutes	INTEGER NOT NULL DEFAULT 0,
	ipv4_whitelist		TEXT NOT NULL DEFAULT '',
	enabled_modules		TEXT NOT NULL DEFAULT '',
	blocked_functions	TEXT NOT NULL DEFAULT '',
	refresh_token_mode	TEXT NOT NULL DEFAULT 'rotate',
	keep_alive_utc		INTEGER NOT NULL DEFAULT 0,
	last_trans_utc		INTEGER NOT NULL DEFAULT 0,
	-- tokens: nonce || XChaCha20-Poly1305 ciphertext, bound to the
	-- user name and column (see token_seal)
	access_token		BLOB,
	prev_access_token	BLOB,
	prev_access_until_utc	INTEGER NOT NULL DEFAULT 0,
	refresh_token		BLOB,
	prev_refresh_token	BLOB,
	prev_refresh_until_utc	INTEGER NOT NULL DEFAULT 0,
	policy_version		INTEGER NOT NULL DEFAULT 1
);

-- Keyed digests of refresh tokens that were replaced, so that a replay of
-- an old one is told apart from a random guess and audited.
CREATE TABLE hyp_retired_refresh (
	record_id		INTEGER NOT NULL
	    REFERENCES hyp_web_api_tokens(id) ON DELETE CASCADE,
	digest			BLOB NOT NULL,
	retired_utc		INTEGER NOT NULL,
	PRIMARY KEY (record_id, digest)
);

CREATE TABLE hyp_audit (
	id			INTEGER PRIMARY KEY,
	at_utc			INTEGER NOT NULL,
	actor			TEXT NOT NULL,
	client			TEXT NOT NULL DEFAULT '',
	domain_address		TEXT NOT NULL,
	action			TEXT NOT NULL,
	detail			TEXT NOT NULL DEFAULT ''
);
CREATE INDEX hyp_audit_domain ON hyp_audit(domain_address, at_utc);

-- key_check: a fixed text sealed with the key file's key, so that a wrong
-- key is refused before any token is read.
CREATE TABLE hyp_meta (
	name			TEXT PRIMARY KEY,
	value			BLOB NOT NULL
);
