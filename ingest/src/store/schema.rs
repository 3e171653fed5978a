//! Every table of the database and the schema version, in one place: nothing outside `store`
//! names a table.

use redb::TableDefinition;

/// Bumped whenever a table's layout changes; a file written by another version is refused at open.
pub const SCHEMA_VERSION: u64 = 6;

/// `"schema_version"` → [`SCHEMA_VERSION`].
pub(crate) const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
/// (survey id, version) → the definition as JSON.
pub(crate) const SURVEYS: TableDefinition<(&str, u32), &str> = TableDefinition::new("surveys");
/// One table per survey, `responses/{id}`: submission id → the response in the compact form of
/// [`super::codec`]. Keyed by the random submission id, so the order of the table says nothing
/// about the order responses came in.
pub(crate) fn responses_table(survey: &str) -> String {
    format!("responses/{survey}")
}
/// The table of [`responses_table`].
pub(crate) fn responses(name: &str) -> TableDefinition<'_, u128, &'static [u8]> {
    TableDefinition::new(name)
}
/// (survey id, version, wave id or "" for none, context or "", tally key) → count. Added in schema
/// version 4, from the `tallies` of version 3 with every counter in no wave; schema version 6
/// added the NHS score counters (`#engagement`, …) of the responses stored before.
pub(crate) const TALLIES: TableDefinition<(&str, u32, &str, &str, &str), u64> = TableDefinition::new("wave_tallies");
/// Schema version 3's counters, (survey id, version, context or "", tally key) → count: read once
/// by the migration to version 4, then deleted.
pub(crate) const TALLIES_V3: TableDefinition<(&str, u32, &str, &str), u64> = TableDefinition::new("tallies");
/// (survey id, version, context or "", tally key) → count: the released state of each group
/// without a wave, the snapshot of its counters taken when it last had `k` more responses than at
/// the release before (see [`pulse_shared::release_due`]). Results read these, never the live
/// counters, for responses without a wave. Added in schema version 5, from the live counters of
/// version 4 (its figures as they were shown become the first release).
pub(crate) const RELEASED: TableDefinition<(&str, u32, &str, &str), u64> = TableDefinition::new("released");
/// (survey id, version, context or "", submission id) → (): the responses without a wave that
/// came after their group's last release, whose stories wait for the next. Emptied for a group at
/// each release, so it never holds more than `k` − 1 per group and says nothing once released.
pub(crate) const UNRELEASED: TableDefinition<(&str, u32, &str, u128), ()> = TableDefinition::new("unreleased");
/// (survey id, wave id) → [`pulse_shared::Wave`] as JSON. Windows never overlap, so a response's
/// day says which wave it is in.
pub(crate) const WAVES: TableDefinition<(&str, &str), &str> = TableDefinition::new("waves");
/// (survey id, wave id, context id) → the headcount an admin recorded.
pub(crate) const HEADCOUNTS: TableDefinition<(&str, &str, &str), u64> = TableDefinition::new("headcounts");
/// survey id → what its admins share with staff ([`pulse_shared::headlines::Sharing`]) as JSON: the
/// questions whose headline figures the results embed shows, and the "you said, we did" notes.
/// Added without a schema change: a file without it simply shares nothing.
pub(crate) const SHARING: TableDefinition<&str, &str> = TableDefinition::new("sharing");
/// survey id → its reference figures ([`pulse_shared::reference::References`]) as JSON: figures
/// published elsewhere that admins set beside the survey's own. Added without a schema change: a
/// file without it has none.
pub(crate) const REFERENCES: TableDefinition<&str, &str> = TableDefinition::new("references");
/// survey id → its [`pulse_shared::draft::Draft`] as JSON: a definition being written in the editor.
/// Added without a schema change: a file without it has no drafts.
pub(crate) const DRAFTS: TableDefinition<&str, &str> = TableDefinition::new("drafts");
/// token name → [`super::TokenRecord`] as JSON (its hash, role, contexts, expiry). Added without a
/// schema change, like the two tables below: a file without them has no named admins yet.
pub(crate) const ADMIN_TOKENS: TableDefinition<&str, &str> = TableDefinition::new("admin_tokens");
/// `email:…` or `group:…` → [`super::Grant`] as JSON: who may sign in, and as what.
pub(crate) const GRANTS: TableDefinition<&str, &str> = TableDefinition::new("admin_grants");
/// entry number (1, 2, 3…) → [`super::AuditEntry`] as JSON: every admin action, appended only.
pub(crate) const AUDIT: TableDefinition<u64, &str> = TableDefinition::new("audit");
/// (survey id, submission id) → the response's free-text answers ([`super::Story`]s) as a JSON array,
/// for responses that have any: the admins' stories list reads this, not the responses. Added in
/// schema version 3 (built from the responses when a version 2 file is opened).
pub(crate) const FREE_TEXT: TableDefinition<(&str, u128), &str> = TableDefinition::new("free_text");
/// (survey id, story id) → [`super::StoryRecord`] as JSON.
pub(crate) const STORIES: TableDefinition<(&str, u64), &str> = TableDefinition::new("stories");
/// (survey id, decision number) → [`super::DecisionRecord`] as JSON, in the order decisions were made.
pub(crate) const DECISIONS: TableDefinition<(&str, u64), &str> = TableDefinition::new("decisions");
