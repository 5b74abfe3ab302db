//! The generated V2 SDK against a wiremock server on 127.0.0.1.
