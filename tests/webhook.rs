//! V2 webhooks: verification and parsing.
