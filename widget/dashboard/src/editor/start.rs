//! Starting a survey: a template, a title and the id made from it.

use leptos::prelude::*;
use pulse_shared::bank::Template;
use pulse_shared::{is_slug, Lang};

use super::{create, id_for, title};
use crate::api::Fail;
use crate::shell::App;

pub fn view(_app: App, l: Lang) -> impl IntoView {
    let chosen = RwSignal::new(Template::Engagement);
    let name = RwSignal::new(String::new());
    // The id follows the title until the admin types one of their own.
    let id = RwSignal::new(String::new());
    let own_id = RwSignal::new(false);
    let problem = RwSignal::new(None::<Fail>);
    let options = Template::ALL
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let t = *t;
            let input = format!("template-{i}");
            view! {
                <div class="radio">
                    <input type="radio" class="checkbox" name="template" id=input.clone() value=i.to_string()
                        checked=t == Template::Engagement on:change=move |_| chosen.set(t) />" "
                    <label for=input><strong>{t.name(l)}</strong></label>
                    <p class="hint">{t.describe(l)}</p>
                </div>
            }
        })
        .collect_view();
    let submit = move |e: leptos::ev::SubmitEvent| {
        e.prevent_default();
        let survey = id.get_untracked();
        if !is_slug(&survey) {
            problem.set(Some(Fail::Refused {
                message: l
                    .pick(
                        "The id must be 1 to 64 lowercase letters, digits or hyphens.",
                        "Rhaid i'r dynodydd fod yn 1 i 64 o lythrennau bach, digidau neu gysylltnodau.",
                    )
                    .into(),
                details: Vec::new(),
            }));
            return;
        }
        let (template, text) = (chosen.get_untracked(), name.get_untracked());
        leptos::task::spawn_local(async move {
            if let Err(fail) = create(template, survey, text).await {
                problem.set(Some(fail));
                crate::shell::focus_first(&[".error-summary"]);
            }
        });
    };
    view! {
        <p><a href="#/">{l.pick("All surveys and drafts", "Pob arolwg a drafft")}</a></p>
        {title(l.pick("Create a survey", "Creu arolwg"))}
        {move || problem.get().map(|f| view! {
            <div class="error-summary" role="alert" tabindex="-1">
                <h2>{l.pick("There is a problem", "Mae problem")}</h2>
                <p>{f.message()}</p>
            </div>
        })}
        <form novalidate on:submit=submit>
            <fieldset class="fieldset">
                <legend><h2>{l.pick("Start from", "Dechrau o")}</h2></legend>
                {options}
            </fieldset>
            <label class="label" for="new-title">{l.pick("Title (English)", "Teitl (Saesneg)")}</label>
            <p class="hint">{l.pick("You can change it, and add the Welsh, in the editor.", "Gallwch ei newid, ac ychwanegu'r Gymraeg, yn y golygydd.")}</p>
            <input class="input" id="new-title" type="text" on:input=move |e| {
                let text = event_target_value(&e);
                if !own_id.get_untracked() {
                    id.set(id_for(&text));
                }
                name.set(text);
            } />
            <label class="label" for="new-id">{l.pick("Id", "Dynodydd")}</label>
            <p class="hint">{l.pick("Part of the survey's address and its embed code; it cannot change once the draft is saved.",
                "Rhan o gyfeiriad yr arolwg a'i god mewnosod; ni ellir ei newid ar ôl cadw'r drafft.")}</p>
            <input class="input input--short" id="new-id" type="text" prop:value=move || id.get()
                on:input=move |e| { own_id.set(true); id.set(event_target_value(&e)); } />
            <p><button class="button" type="submit" id="create">{l.pick("Create the draft", "Creu'r drafft")}</button></p>
        </form>
    }
}
