//! The contexts in the editor, and names pasted or uploaded (an ESR export) to add as contexts.

use leptos::prelude::*;
use pulse_shared::draft::{contexts_from_names, list_columns, names_in_list};
use pulse_shared::SurveyDefinition;
use wasm_bindgen::JsCast;

use super::form::{read_file, text_pair, Ed, TextAt};

/// The contexts, and a list of names to add as contexts.
pub(super) fn contexts(ed: Ed, d: &SurveyDefinition) -> impl IntoView {
    let l = ed.l;
    let pasted = RwSignal::new(String::new());
    let column = RwSignal::new(None::<usize>);
    let rows = d
        .contexts
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let heads = ed.headcounts.with_value(|h| h.iter().find(|(id, _)| *id == c.id).map(|(_, n)| *n));
            view! {
                <li class="card">
                    <p><strong>{format!("{} {}", l.pick("Id:", "Dynodydd:"), c.id)}</strong>
                        {heads.map(|n| format!(" · {} {n}", l.pick("headcount", "cyfrif pennau")))}</p>
                    {text_pair(ed, &format!("ctx-{i}"), &format!("contexts.{}", c.id), l.pick("Name", "Enw"), TextAt::Context(i), false)}
                    <button type="button" class="button button--secondary" on:click=move |_| ed.reshape(|d| { d.contexts.remove(i); })>
                        {format!("{} {}", l.pick("Remove", "Dileu"), c.label.get(l))}</button>
                </li>
            }
        })
        .collect_view();
    let columns = move || list_columns(&pasted.get());
    view! {
        <section aria-labelledby="contexts-part" id="f-contexts">
            <h2 id="contexts-part">{l.pick("Contexts (directorates or teams)", "Cyd-destunau (cyfarwyddiaethau neu dimau)")}</h2>
            <p class="hint">{l.pick("Each page that embeds the survey may name one, and results are shown by them.",
                "Gall pob tudalen sy'n mewnosod yr arolwg enwi un, a dangosir canlyniadau yn ôl y rhain.")}</p>
            {ed.messages("contexts".into(), false)}
            <ul class="plain">{rows}</ul>
            <div class="card">
                <label class="label" for="paste-contexts">{l.pick("Paste names to add, one per line, or a CSV file from ESR", "Gludo enwau i'w hychwanegu, un i bob llinell, neu ffeil CSV o ESR")}</label>
                <textarea class="input textarea" id="paste-contexts" rows="4" on:input=move |e| pasted.set(event_target_value(&e))></textarea>
                <label class="label" for="upload-contexts">{l.pick("Or upload a file", "Neu lwytho ffeil i fyny")}</label>
                <input class="input" type="file" id="upload-contexts" accept=".csv,.txt,text/csv,text/plain" on:change=move |e| {
                    read_file(&e, move |text| {
                        if let Some(el) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("paste-contexts")) {
                            if let Ok(area) = el.dyn_into::<web_sys::HtmlTextAreaElement>() { area.set_value(&text); }
                        }
                        pasted.set(text);
                    });
                } />
                {move || {
                    let cols = columns();
                    (!cols.is_empty()).then(|| view! {
                        <label class="label" for="context-column">{l.pick("Column of names", "Colofn yr enwau")}</label>
                        <select class="input input--short" id="context-column" on:change=move |e| column.set(event_target_value(&e).parse().ok())>
                            <option value="">{l.pick("Choose for me", "Dewis i mi")}</option>
                            {cols.into_iter().enumerate().map(|(i, c)| view! { <option value=i.to_string()>{c}</option> }).collect_view()}
                        </select>
                    })
                }}
                {move || {
                    let names = names_in_list(&pasted.get(), column.get());
                    let new = ed.def.with(|d| contexts_from_names(&names, &d.contexts));
                    (!new.is_empty()).then(|| view! {
                        <p class="hint" id="contexts-preview">{format!("{} {}", l.pick("Will add:", "Bydd yn ychwanegu:"),
                            new.iter().map(|c| format!("{} ({})", c.label.en, c.id)).collect::<Vec<_>>().join(", "))}</p>
                    })
                }}
                <button type="button" class="button button--secondary" id="add-contexts" on:click=move |_| {
                    let names = names_in_list(&pasted.get_untracked(), column.get_untracked());
                    ed.reshape(|d| { let new = contexts_from_names(&names, &d.contexts); d.contexts.extend(new); });
                }>{l.pick("Add these contexts", "Ychwanegu'r cyd-destunau hyn")}</button>
            </div>
        </section>
    }
}
