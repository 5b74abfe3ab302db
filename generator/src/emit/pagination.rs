//! `pages()` and `items()` on the request builder of a paged list operation: streams
//! that fetch page after page through the runtime's `paginate`, each next request
//! derived from the last response as the operation's [`Pagination`] says.

use crate::emit::rust::{ident, type_tokens};
use crate::model::{PageStyle, Pagination};
use proc_macro2::TokenStream;
use quote::quote;

/// The two methods, for the builder of an operation whose call returns `ok` or fails with `err`.
pub fn stream_methods(p: &Pagination, ok: &TokenStream, err: &TokenStream) -> TokenStream {
    let items = ident(&p.items);
    let item = type_tokens(&p.item_type);
    let (advance, key, how) = next_request(p);
    let items_of = if p.items_optional {
        quote! { response.#items.unwrap_or_default() }
    } else {
        quote! { response.#items }
    };
    let pages_doc = [
        " Every page from this request's on, fetched one request per page as the stream is read:".to_string(),
        format!(" {how}."),
        " Stops when a next request would repeat one already made, so a server repeating a".to_string(),
        " page cannot make it loop. An error is the stream's last item.".to_string(),
    ];
    let items_doc = " The items of every page (see [`Self::pages`]), one at a time.";
    quote! {
        #(#[doc = #pages_doc])*
        #[inline]
        pub fn pages(self) -> crate::BoxStream<Result<#ok, crate::runtime::Error<#err>>> {
            crate::runtime::paginate::pages(
                self,
                Self::send,
                |request: &Self, response: &#ok| -> Option<Self> { #advance },
                |request: &Self| -> String { #key },
            )
        }

        #[doc = #items_doc]
        #[inline]
        pub fn items(self) -> crate::BoxStream<Result<#item, crate::runtime::Error<#err>>> {
            crate::runtime::paginate::items(self.pages(), |response: #ok| #items_of)
        }
    }
}

/// How the next request follows from the last response, the text that tells requests
/// apart (to stop on a repeat), and a few words on how the stream pages.
fn next_request(p: &Pagination) -> (TokenStream, TokenStream, &'static str) {
    let items = ident(&p.items);
    let body_mut = if p.body_optional && p.body_default {
        let body_type = ident(p.body_type.as_deref().unwrap_or_default());
        quote! { next.body.get_or_insert_with(#body_type::default) }
    } else if p.body_optional {
        // Without a body there is no page to ask for beyond the first.
        quote! { next.body.as_mut()? }
    } else {
        quote! { &mut next.body }
    };
    let body_ref = |field: &proc_macro2::Ident| {
        if p.body_optional {
            quote! { request.body.as_ref().and_then(|body| body.#field.as_ref()) }
        } else {
            quote! { request.body.#field.as_ref() }
        }
    };
    match &p.style {
        PageStyle::Page { input, input_type, info, input_number, input_size, info_number, info_size, total_count } => {
            let (input, info, input_type) = (ident(input), ident(info), ident(input_type));
            let (in_number, in_size) = (ident(input_number), ident(input_size));
            let (number, size, total) = (ident(info_number), ident(info_size), ident(total_count));
            let key = body_ref(&input);
            (
                quote! {
                    let info = &response.#info;
                    let read = (i64::from(info.#number) + 1) * i64::from(info.#size);
                    let count = response.#items.as_slice().len() as i64;
                    if count == 0 || count < i64::from(info.#size) || read >= i64::from(info.#total) {
                        return None;
                    }
                    let mut next = request.clone();
                    let body = #body_mut;
                    let mut page: #input_type = body.#input.take().unwrap_or_default();
                    page.#in_number = Some(info.#number + 1);
                    page.#in_size = Some(info.#size);
                    body.#input = Some(page);
                    Some(next)
                },
                quote! { format!("{:?}", #key.and_then(|page| page.#in_number)) },
                "by page number, until the last page",
            )
        }
        PageStyle::Cursor { request: field, item_cursor } => {
            let (field, item_cursor) = (ident(field), ident(item_cursor));
            let key = body_ref(&field);
            (
                quote! {
                    let cursor = response.#items.as_slice().last()?.#item_cursor.clone();
                    let mut next = request.clone();
                    #body_mut.#field = Some(cursor);
                    Some(next)
                },
                quote! { format!("{:?}", #key) },
                "each from the cursor of the last item read, until a page comes back empty",
            )
        }
        PageStyle::QueryPage { param, next } => {
            let (param, next_field) = (ident(param), ident(next));
            (
                quote! {
                    let page = response.#next_field;
                    if page <= 0 {
                        return None;
                    }
                    let mut next = request.clone();
                    next.#param = Some(page);
                    Some(next)
                },
                quote! { format!("{:?}", request.#param) },
                "by the next page number each response gives, until it is 0",
            )
        }
    }
}
