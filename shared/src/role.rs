//! The roles an admin can have: here, below every layer of the server (its options, its store and
//! its admin layer all name them) and where the browser apps can read them too.

use serde::{Deserialize, Serialize};

/// What an admin may do. An owner may do everything.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Everything, including who is an admin, tokens and the audit log.
    Owner,
    /// Results, downloads, trends, waves, headcounts, sharing with staff, the evidence pack, publishing.
    Analyst,
    /// The story queue and the showcase.
    Moderator,
    /// Results of named contexts only, each still suppressed, and no total.
    Viewer,
}

impl Role {
    /// Every role, from the most a role may do to the least.
    pub const ALL: [Role; 4] = [Role::Owner, Role::Analyst, Role::Moderator, Role::Viewer];

    pub fn name(self) -> &'static str {
        match self {
            Role::Owner => "owner",
            Role::Analyst => "analyst",
            Role::Moderator => "moderator",
            Role::Viewer => "viewer",
        }
    }
}

impl std::str::FromStr for Role {
    type Err = String;

    fn from_str(name: &str) -> Result<Role, String> {
        Role::ALL.into_iter().find(|r| r.name() == name).ok_or_else(|| {
            let names: Vec<&str> = Role::ALL.iter().map(|r| r.name()).collect();
            format!("{name:?} is not a role: one of {}", names.join(", "))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Role;

    #[test]
    fn a_role_reads_back_from_its_name_and_nothing_else_reads_as_one() {
        for role in Role::ALL {
            assert_eq!(role.name().parse::<Role>(), Ok(role));
            assert_eq!(serde_json::to_string(&role).unwrap(), format!("\"{}\"", role.name()));
        }
        assert!("Owner".parse::<Role>().unwrap_err().contains("one of owner, analyst, moderator, viewer"));
    }
}
