//! Every word the widget shows, in English and Welsh, in one place so that a translation touches one
//! file. Survey text (questions, options) comes with the survey; these are the widget's own words.

use pulse_shared::{Lang, ScrubKind};

/// The widget's words in one language.
pub struct Words {
    pub loading: &'static str,
    pub load_failed: &'static str,
    pub try_again: &'static str,
    pub submit: &'static str,
    pub sending: &'static str,
    pub there_is_a_problem: &'static str,
    pub error_prefix: &'static str,
    pub optional: &'static str,
    pub anonymous: &'static str,
    /// "How your answers are used": the disclosure under the promise, and its points.
    pub how_used: &'static str,
    pub kept: &'static str,
    pub stories_seen: &'static str,
    pub cleaned: &'static str,
    pub no_withdrawal: &'static str,
    pub privacy_notice: &'static str,
    pub thanks_title: &'static str,
    pub thanks_body: &'static str,
    pub already_title: &'static str,
    pub already_body: &'static str,
    /// Under "already answered", for the next person at a shared computer.
    pub not_you: &'static str,
    /// A page whose survey, context or address cannot take answers (the console says why).
    pub unavailable: &'static str,
    pub saved_title: &'static str,
    pub saved_body: &'static str,
    pub refused_title: &'static str,
    pub refused_body: &'static str,
    /// Above the server's words on when the survey opens next.
    pub closed_title: &'static str,
    /// A story's optional photo or video link and its caption.
    pub media_legend: &'static str,
    pub link_label: &'static str,
    pub caption_label: &'static str,
    lang: Lang,
}

const EN: Words = Words {
    loading: "Loading the survey…",
    load_failed: "The survey could not be loaded. Please try again later.",
    try_again: "Try again",
    submit: "Send my answers",
    sending: "Sending your answers…",
    there_is_a_problem: "There is a problem",
    error_prefix: "Error:",
    optional: "(optional)",
    anonymous: "Your answers are anonymous: we keep the day they arrive, but never your name, your device or the \
                time you answered.",
    how_used: "How your answers are used",
    kept: "What is kept: your answers, the team or area the page you answer on names (if it names one), and the \
           day they arrived. Not your name, e-mail address, device, network address or the time.",
    stories_seen: "Your story, if you write one, is read only by the survey team. It is shown to other staff only if \
                   you tick the box to allow it, and only after the survey team has checked it.",
    cleaned: "Before anything you write is stored, contact details and numbers (e-mail addresses, phone numbers, \
              NHS numbers, postcodes and links) are removed from it.",
    no_withdrawal: "Because nothing links your answers to you, they cannot be withdrawn or changed once sent.",
    privacy_notice: "Read our privacy notice",
    thanks_title: "Thank you",
    thanks_body: "Your answers have been sent. Results are only ever shown for groups of people, never for one person.",
    already_title: "Thank you, you've already responded",
    already_body: "This device has already sent answers to this survey.",
    not_you: "Not you? Answer the survey",
    unavailable: "This page cannot take answers to the survey. Please tell the person who looks after this page.",
    saved_title: "Your answers are saved",
    saved_body: "We could not reach the survey just now. Your answers are saved on this device and will be sent \
                 automatically when the connection is back. You do not need to do anything.",
    refused_title: "Your answers could not be accepted",
    refused_body: "The survey did not accept these answers.",
    closed_title: "Not open just now",
    media_legend: "Add a link to a photo or video",
    link_label: "Link to the photo or video",
    caption_label: "Caption: what the photo or video shows",
    lang: Lang::En,
};

const CY: Words = Words {
    loading: "Wrthi'n llwytho'r arolwg…",
    load_failed: "Nid oedd modd llwytho'r arolwg. Rhowch gynnig arall arni yn nes ymlaen.",
    try_again: "Rhowch gynnig arall arni",
    submit: "Anfon fy atebion",
    sending: "Wrthi'n anfon eich atebion…",
    there_is_a_problem: "Mae problem",
    error_prefix: "Gwall:",
    optional: "(dewisol)",
    anonymous: "Mae eich atebion yn ddienw: rydym yn cadw'r diwrnod y maen nhw'n cyrraedd, ond byth eich enw, eich \
                dyfais na'r amser y gwnaethoch ateb.",
    how_used: "Sut y caiff eich atebion eu defnyddio",
    kept: "Beth sy'n cael ei gadw: eich atebion, y tîm neu'r maes a enwir gan y dudalen rydych chi'n ateb arni (os \
           yw'n enwi un), a'r diwrnod y cyrhaeddon nhw. Nid eich enw, eich cyfeiriad e-bost, eich dyfais, eich \
           cyfeiriad rhwydwaith na'r amser.",
    stories_seen: "Dim ond tîm yr arolwg sy'n darllen eich stori, os byddwch chi'n ysgrifennu un. Caiff ei dangos i \
                   staff eraill dim ond os byddwch chi'n ticio'r blwch i ganiatáu hynny, a dim ond ar ôl i dîm yr \
                   arolwg ei gwirio.",
    cleaned: "Cyn i unrhyw beth rydych chi'n ei ysgrifennu gael ei storio, caiff manylion cyswllt a rhifau \
              (cyfeiriadau e-bost, rhifau ffôn, rhifau GIG, codau post a dolenni) eu tynnu ohono.",
    no_withdrawal: "Gan nad oes dim yn cysylltu eich atebion â chi, does dim modd eu tynnu'n ôl na'u newid ar ôl eu \
                    hanfon.",
    privacy_notice: "Darllenwch ein hysbysiad preifatrwydd",
    thanks_title: "Diolch",
    thanks_body: "Mae eich atebion wedi cael eu hanfon. Dim ond ar gyfer grwpiau o bobl y caiff canlyniadau eu \
                  dangos, byth ar gyfer un person.",
    already_title: "Diolch, rydych chi wedi ymateb yn barod",
    already_body: "Mae'r ddyfais hon wedi anfon atebion i'r arolwg hwn yn barod.",
    not_you: "Nid chi? Atebwch yr arolwg",
    unavailable: "Ni all y dudalen hon dderbyn atebion i'r arolwg. Rhowch wybod i'r person sy'n gofalu am y \
                  dudalen hon.",
    saved_title: "Mae eich atebion wedi cael eu cadw",
    saved_body: "Nid oedd modd cysylltu â'r arolwg ar hyn o bryd. Mae eich atebion wedi cael eu cadw ar y ddyfais \
                 hon a byddan nhw'n cael eu hanfon yn awtomatig pan fydd y cysylltiad yn ôl. Does dim angen i chi \
                 wneud dim byd.",
    refused_title: "Nid oedd modd derbyn eich atebion",
    refused_body: "Ni wnaeth yr arolwg dderbyn yr atebion hyn.",
    closed_title: "Ddim ar agor ar hyn o bryd",
    media_legend: "Ychwanegu dolen i lun neu fideo",
    link_label: "Dolen i'r llun neu'r fideo",
    caption_label: "Capsiwn: beth mae'r llun neu'r fideo yn ei ddangos",
    lang: Lang::Cy,
};

/// The widget's words in `lang`.
pub fn words(lang: Lang) -> &'static Words {
    lang.pick(&EN, &CY)
}

impl Words {
    /// "3 of 7 questions answered". (Welsh counts with a singular noun: "3 o 7 cwestiwn".)
    pub fn progress(&self, answered: usize, total: usize) -> String {
        self.lang.pick(
            format!("{answered} of {total} questions answered"),
            format!("{answered} o {total} cwestiwn wedi'u hateb"),
        )
    }

    /// Who sees what: only group figures, and groups of at least `k` people.
    pub fn who_sees(&self, k: u32) -> String {
        self.lang.pick(
            format!(
                "Who sees what: the survey team sees only figures for groups of at least {k} people, never one \
                 person's answers. The figures change only once at least {k} more people have answered, or when a \
                 round of the survey closes, so nobody can pick out your answers by comparing them before and \
                 after you sent yours."
            ),
            format!(
                "Pwy sy'n gweld beth: dim ond ffigurau ar gyfer grwpiau o {k} o bobl o leiaf y mae tîm yr arolwg yn \
                 eu gweld, byth atebion un person. Dim ond ar ôl i {k} o bobl eraill o leiaf ateb, neu pan fydd rownd \
                 o'r arolwg yn cau, y mae'r ffigurau'n newid, felly ni all neb weld eich atebion chi drwy eu cymharu \
                 cyn ac ar ôl i chi anfon eich rhai chi."
            ),
        )
    }

    /// Where a story's link may go: "Starts with https://. Links to youtu.be or vimeo.com only."
    pub fn link_hint(&self, hosts: &str) -> String {
        self.lang.pick(
            format!("It starts with https:// and goes to one of: {hosts}. The survey team checks it before anyone else sees it."),
            format!(
                "Mae'n dechrau gyda https:// ac yn mynd i un o: {hosts}. Mae tîm yr arolwg yn ei gwirio cyn i unrhyw un arall ei gweld."
            ),
        )
    }

    pub fn word_count(&self, count: usize, max: u32) -> String {
        self.lang.pick(format!("{count} of {max} words"), format!("{count} o {max} gair"))
    }

    fn describe(&self, kind: ScrubKind) -> &'static str {
        match self.lang {
            Lang::En => kind.describe(),
            Lang::Cy => match kind {
                ScrubKind::Url => "dolen we",
                ScrubKind::Email => "cyfeiriad e-bost",
                ScrubKind::NhsNumber => "rhif GIG",
                ScrubKind::Phone => "rhif ffôn",
                ScrubKind::Postcode => "cod post",
                ScrubKind::DateOfBirth => "dyddiad geni",
                ScrubKind::HospitalNumber => "rhif ysbyty",
                ScrubKind::Address => "cyfeiriad stryd",
            },
        }
    }

    /// "Your example seems to include a phone number and an e-mail address. …"
    pub fn scrub_warning(&self, found: &[ScrubKind]) -> String {
        let names: Vec<&str> = found.iter().map(|k| self.describe(*k)).collect();
        let list = match names.as_slice() {
            [] => String::new(),
            [one] => one.to_string(),
            [init @ .., last] => {
                let last = match (self.lang, last.strip_prefix('c')) {
                    (Lang::En, _) => format!("and {last}"),
                    // Welsh "a" (and) mutates a following c to ch: "a chod post".
                    (Lang::Cy, Some(rest)) => format!("a ch{rest}"),
                    (Lang::Cy, None) => format!("a {last}"),
                };
                format!("{} {last}", init.join(", "))
            }
        };
        self.lang.pick(
            format!(
                "Your example seems to include {list}. To keep everyone anonymous, this will be removed before \
                 your answers are stored."
            ),
            format!(
                "Mae'n ymddangos bod eich enghraifft yn cynnwys {list}. Er mwyn cadw pawb yn ddienw, caiff hyn \
                 ei dynnu cyn i'ch atebion gael eu storio."
            ),
        )
    }
}
