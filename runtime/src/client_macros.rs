//! The part of each API's `ClientBuilder` that is the same for every API, written once:
//! its struct, the settings every client has, and `build`. The generated client adds
//! only what its API has of its own (ways to authenticate, default parameter values).
//! The defaults the docs quote are the numbers the runtime's constants are made from.

/// The defaults of a client's settings, as literals: the runtime's `DEFAULT_…` constants
/// are made from them, and the builders' docs quote them, so the two cannot disagree.
#[doc(hidden)]
#[macro_export]
macro_rules! default_setting {
    (timeout_secs) => {
        60
    };
    (attempt_timeout_secs) => {
        30
    };
    (connect_timeout_secs) => {
        10
    };
    (max_response_mib) => {
        32
    };
    (max_retries) => {
        2
    };
}

/// Builder methods that pass their one argument on to the `CoreBuilder` method of the
/// same name: `fn name(arg: Type);` with its docs, in `client_builder!`.
#[doc(hidden)]
#[macro_export]
macro_rules! forward_setters {
    ($($(#[$doc:meta])* fn $name:ident($arg:ident: $ty:ty);)*) => {
        $(
            $(#[$doc])*
            pub fn $name(mut self, $arg: $ty) -> Self {
                self.core = self.core.$name($arg);
                self
            }
        )*
    };
}

/// `ClientBuilder` of the API whose `Client` is in scope (a struct with one field,
/// `core: Arc<Core>`): the settings every client has, and `build`. The doc attributes
/// given are added to `max_retries`' docs, to say what the API's retries may repeat.
#[doc(hidden)]
#[macro_export]
macro_rules! client_builder {
    ($(#[$retries:meta])*) => {
        /// Settings of a [`Client`]; finish with [`ClientBuilder::build`].
        #[derive(Debug)]
        pub struct ClientBuilder {
            core: $crate::__private::CoreBuilder,
        }

        impl ClientBuilder {
            $crate::__private::forward_setters! {
                /// Send requests to this base URL instead of [`Client::DEFAULT_BASE_URL`].
                fn base_url(base_url: impl Into<String>);

                /// Allow a plain `http://` base URL for this host, say an egress proxy inside a
                /// private network. Without it, only `https://` and loopback hosts
                /// (`localhost`, `127.0.0.1`, `[::1]`) are accepted, so that the secret never
                /// crosses a network unencrypted by mistake.
                fn allow_http_host(host: impl Into<String>);

                /// Run `hook` around every call: before and after each attempt (it may add
                /// headers such as `traceparent`) and when the call is over. Several hooks run
                /// in the order given. See [`crate::hooks`].
                fn hook(hook: impl $crate::hooks::Hook);

                /// Build the HTTP client from this `reqwest` builder (its proxies, certificates,
                /// TLS and pool settings) instead of the SDK's own. `build` turns its redirects
                /// off, whatever it says, so that no credential or body follows a redirect to
                /// another host; and its proxies off for a plain `http://` base URL, so that no
                /// proxy reads the secret in clear text.
                fn http_client(http: reqwest::ClientBuilder);

                #[doc = concat!(
                    "The largest response body read (default ",
                    $crate::__private::default_setting!(max_response_mib),
                    " MiB); a larger one ends the call"
                )]
                /// with a transport error of kind `BodyTooLarge` instead of filling memory.
                fn max_response_bytes(limit: u64);

                #[doc = concat!(
                    "Total time for each call, retries and waits included (default ",
                    $crate::__private::default_setting!(timeout_secs),
                    " s)."
                )]
                /// `Duration::MAX` means no limit; zero makes `build` fail.
                fn timeout(timeout: std::time::Duration);

                #[doc = concat!(
                    "Longest wait for one attempt (default ",
                    $crate::__private::default_setting!(attempt_timeout_secs),
                    " s). An attempt that takes longer is"
                )]
                /// given up and, when it is safe to repeat, retried within [`Self::timeout`].
                /// `Duration::MAX` means no limit but the call's; zero makes `build` fail.
                fn attempt_timeout(timeout: std::time::Duration);

                #[doc = concat!(
                    "Time to establish a connection (default ",
                    $crate::__private::default_setting!(connect_timeout_secs),
                    " s). Applies to the HTTP client the"
                )]
                /// SDK builds; one built from [`Self::http_client`] keeps its builder's. Zero
                /// makes `build` fail.
                fn connect_timeout(timeout: std::time::Duration);

                /// The whole retry policy: retries, backoff bounds, `Retry-After` cap. Any
                /// duration is accepted (see [`crate::RetryPolicy`]).
                fn retry_policy(policy: $crate::RetryPolicy);
            }

            /// Send this header with every call, after the SDK's own; a call's `header`
            /// adds more. Headers the SDK sets itself (`Authorization`, `Content-Type`,
            /// `Accept`, `User-Agent`, the idempotency key) or that HTTP cannot carry
            /// make `build` fail. Its value is kept out of `Debug` and HTTP logging.
            pub fn default_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
                self.core = self.core.default_header(name.into(), value.into());
                self
            }

            #[doc = concat!(
                "Retries after the first attempt (default ",
                $crate::__private::default_setting!(max_retries),
                "; 0 turns retrying off). Connection"
            )]
            /// failures, timeouts, HTTP 408, 429 and 5xx answers that are not one of the
            /// operation's documented errors are retried with exponential backoff and
            /// jitter, honouring `Retry-After`. A documented error (a payment gateway's
            /// refusal under HTTP 502, say) is final and never retried.
            ///
            $(#[$retries])*
            pub fn max_retries(mut self, retries: u32) -> Self {
                self.core.retry_policy_mut().max_retries = retries;
                self
            }

            /// The client, or why these settings cannot make one.
            pub fn build(self) -> Result<Client, $crate::ConfigError> {
                Ok(Client { core: std::sync::Arc::new(self.core.build()?) })
            }
        }
    };
}
