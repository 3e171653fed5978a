//! The contexts in the editor, and names pasted or uploaded (an ESR export) to add as contexts; the
//! divisions that group them, and each context's division.

use leptos::prelude::*;
use pulse_shared::draft::{contexts_from_names, division_from_name, list_columns, names_in_list, remove_division};
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
            let division = (!d.divisions.is_empty()).then(|| {
                let options = d
                    .divisions
                    .iter()
                    .map(|v| view! { <option value=v.id.clone() selected=c.division.as_ref() == Some(&v.id)>{v.label.get(l).to_string()}</option> })
                    .collect_view();
                view! {
                    <label class="label" for=format!("ctx-{i}-division")>{l.pick("Division", "Is-adran")}</label>
                    <select class="input input--short" id=format!("ctx-{i}-division") on:change=move |e| {
                        let v = event_target_value(&e);
                        ed.edit(|d| if let Some(c) = d.contexts.get_mut(i) { c.division = Some(v).filter(|v| !v.is_empty()); });
                    }>
                        <option value="" selected=c.division.is_none()>{l.pick("None", "Dim")}</option>
                        {options}
                    </select>
                }
            });
            view! {
                <li class="card">
                    <p><strong>{format!("{} {}", l.pick("Id:", "Dynodydd:"), c.id)}</strong>
                        {heads.map(|n| format!(" · {} {n}", l.pick("headcount", "cyfrif pennau")))}</p>
                    {text_pair(ed, &format!("ctx-{i}"), &format!("contexts.{}", c.id), l.pick("Name", "Enw"), TextAt::Context(i), false)}
                    {division}
                    <button type="button" class="button button--secondary" on:click=move |_| ed.reshape(|d| { d.contexts.remove(i); })>
                        {format!("{} {}", l.pick("Remove", "Dileu"), c.label.get(l))}</button>
                </li>
            }
        })
        .collect_view();
    let columns = move || list_columns(&pasted.get());
    let divisions = d
        .divisions
        .iter()
        .enumerate()
        .map(|(i, v)| {
            view! {
                <li class="card">
                    <p><strong>{format!("{} {}", l.pick("Id:", "Dynodydd:"), v.id)}</strong></p>
                    {text_pair(ed, &format!("div-{i}"), &format!("divisions.{}", v.id), l.pick("Name", "Enw"), TextAt::Division(i), false)}
                    <button type="button" class="button button--secondary" on:click=move |_| ed.reshape(|d| remove_division(d, i))>
                        {format!("{} {}", l.pick("Remove", "Dileu"), v.label.get(l))}</button>
                </li>
            }
        })
        .collect_view();
    let division_name = RwSignal::new(String::new());
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
        <section aria-labelledby="divisions-part" id="f-divisions">
            <h2 id="divisions-part">{l.pick("Divisions (optional)", "Is-adrannau (dewisol)")}</h2>
            <p class="hint">{l.pick("Group contexts into divisions to see results by division as well. A division adds up only its contexts that are shown, so it never reveals a hidden one.",
                "Grwpiwch gyd-destunau yn is-adrannau i weld canlyniadau fesul is-adran hefyd. Nid yw is-adran yn adio dim ond ei chyd-destunau a ddangosir, felly nid yw byth yn datgelu un cudd.")}</p>
            {ed.messages("divisions".into(), false)}
            <ul class="plain">{divisions}</ul>
            <div class="card">
                <label class="label" for="new-division">{l.pick("Name of a new division", "Enw is-adran newydd")}</label>
                <input class="input" type="text" id="new-division" on:input=move |e| division_name.set(event_target_value(&e)) />
                <button type="button" class="button button--secondary" id="add-division" on:click=move |_| {
                    let name = division_name.get_untracked();
                    ed.reshape(|d| if let Some(v) = division_from_name(&name, &d.divisions) { d.divisions.push(v); });
                }>{l.pick("Add this division", "Ychwanegu'r is-adran hon")}</button>
            </div>
        </section>
    }
}
