"""What the demo's recognition says (`recognition.demo` writes it through the services): three
months of kudos between the demo people, the customer praise they received, the reward
catalogue. Kept apart from the code that writes it, as kb keeps its demo articles."""

from __future__ import annotations

# slug: (name, description, price, stock or None, who approves)
REWARDS = {
    "company-hoodie": (
        "Company hoodie",
        "The navy Huddle hoodie, in your size. Collected from the office or posted home.",
        80, 25, "admin",
    ),
    "gift-card": (
        "Gift card (EUR 25)",
        "A gift card for the bookshop or the cinema chain, sent by email.",
        100, None, "admin",
    ),
    "afternoon-off": (
        "An extra afternoon off",
        "Half a day of extra leave, taken within three months when your team lead agrees.",
        250, None, "manager",
    ),
    "lunch-with-a-director": (
        "Lunch with a director",
        "An hour over lunch with the support director: bring your ideas for the team.",
        300, 4, "admin",
    ),
    "training-budget": (
        "Training budget (EUR 300)",
        "For a course or a conference of your choice that helps you in your work.",
        400, None, "manager",
    ),
}  # fmt: skip

# The kudos people wrote, oldest first:
# (key, days ago, hour, giver, recipients, values, points, message, what it was for)
# What it was for: ("article", slug), ("session", slug), ("pairing", mentor, mentee), or
# ("ticket", reference, the customer's words or "").
KUDOS = [
    ("lockout", 88, 10, "mentor", ["agent"], ["solved-the-hard-one", "went-the-extra-mile"], 20,
     "Alex stayed on a 2FA lockout with a finance director for forty minutes, went through "
     "the identity checklist step by step and got her back in before payroll ran.",
     ("ticket", "ZD-40712", "I was panicking about payroll and Alex got me back in. Thank you!")),
    ("recovery-article", 86, 15, "agent", ["mentor"], ["shared-knowledge"], 15,
     "Your account recovery article saved me today: the identity checklist is exactly what I "
     "needed for a customer who had lost her phone. Thank you for writing it so clearly.",
     ("article", "account-recovery")),
    ("covering-disputes", 84, 16, "priya.shah", ["mei.chen", "chloe.martin"], ["team-player"],
     10, "Thank you both for covering the chargeback queue while I was at the dentist: 14 "
     "disputes answered, every one of them before its deadline.", None),
    ("callback", 82, 11, "kwame.mensah", ["hannah.weber"], ["went-the-extra-mile"], 15,
     "Hannah called the customer back unasked a week after the refund, just to check it had "
     "arrived. He wrote to our CEO to say thank you.",
     ("ticket", "ZD-40988", "Nobody has ever called me back to check. Hannah is a star.")),
    ("double-charge-macro", 80, 14, "editor", ["agent"], ["proactive-service",
     "shared-knowledge"], 10, "The macro you rewrote for double charges halved our follow-up "
     "contacts on that topic in two weeks. Great macro, and the tone is spot on.", None),
    ("billing-outage", 78, 17, "manager", ["agent", "priya.shah", "mei.chen"],
     ["customer-champion", "team-player"], 20, "Billing outage on Tuesday: 212 customers "
     "charged twice. You three refunded every one of them by the end of the day and wrote a "
     "personal note to the 20 who had called. Not one complaint reached Escalations.", None),
    ("sso-clock-skew", 76, 12, "diego.alvarez", ["ravi.iyer"], ["solved-the-hard-one"], 15,
     "You found that the SSO loop at Acme was clock skew on their identity provider, after "
     "two days of everyone else looking at our side. Brilliant digging.",
     ("ticket", "ZD-41230", "")),
    ("friday-handover", 74, 17, "lukas.novak", ["ivan.ivanov"], ["team-player"], 10,
     "Thanks for taking over the regulator complaint at 5 pm on a Friday, with a handover "
     "note so complete that I did not get a single question over the weekend.", None),
    ("sso-mentoring", 72, 9, "zara.khan", ["noah.dubois"], ["shared-knowledge"], 20,
     "Six sessions of SSO questions and I can run a technical onboarding call on my own. "
     "Thank you for your patience, Noah.", ("pairing", "noah.dubois", "zara.khan")),
    ("chat-guide", 68, 10, "aisha.okafor", ["grace.murphy"], ["shared-knowledge"], 10,
     "Your live chat guide is now part of onboarding: new starters quote the 'no silence over "
     "a minute' rule back to me.", ("article", "chat-reply-style")),
    ("vip-contacts", 66, 8, "ivan.ivanov", ["mentor"], ["shared-knowledge"], 10,
     "The VIP contacts page got me the right account director in two minutes at 7 am. Thank "
     "you for keeping it current.", ("article", "vip-escalation-contacts")),
    ("fraud-signals", 64, 15, "agent", ["hannah.weber"], ["shared-knowledge",
     "customer-champion"], 15, "Spotted a refund fraud pattern on three orders thanks to your "
     "signals checklist: about EUR 900 that did not walk out of the door.",
     ("article", "refund-fraud-signals")),
    ("expired-certificate", 62, 13, "tom.becker", ["samir.nasser"], ["solved-the-hard-one"],
     10, "Webhooks failing and no developer around: you read the delivery logs, found the "
     "expired certificate and walked the customer through renewing it.", None),
    ("vat-callbacks", 58, 10, "mei.chen", ["agent"], ["team-player"], 10,
     "Thank you for taking my VAT refund callbacks while I was off sick. Your notes on each "
     "customer were perfect.", None),
    ("2fa-spike", 56, 16, "mentor", ["diego.alvarez", "oscar.berg"], ["proactive-service"],
     15, "You noticed the 2FA reset requests tripling after the app update and warned the "
     "product team before the weekend. The fix shipped on Monday and the spike was gone.",
     None),
    ("first-evidence-letter", 54, 11, "priya.shah", ["mentor"], ["team-player"], 10,
     "Our chargeback sessions are the best hour of my fortnight. I drafted my first evidence "
     "letter on my own this week!", ("pairing", "mentor", "priya.shah")),
    ("warm-renewals", 52, 14, "sofia.rossi", ["editor"], ["shared-knowledge"], 10,
     "Your guide to personalising macros turned our renewal reminders from robotic to warm. "
     "Two customers replied just to say thanks.", ("article", "personalising-macros")),
    ("exception-refund", 50, 12, "felix.schmidt", ["omar.farouk"], ["customer-champion"], 15,
     "Omar pushed Finance for an exception refund for a customer whose father had died, with "
     "the paperwork ready so nobody had to ask her twice.",
     ("ticket", "ZD-42561", "Omar fought for my refund when I had given up. I am staying "
      "with you because of him.")),
    ("late-caller", 48, 18, "agent", ["manager"], ["team-player"], 10,
     "Thank you for staying late to sit in on a furious caller about a missed refund: you let "
     "me lead and only stepped in when I asked.", None),
    ("closed-card-macro", 42, 10, "manager", ["hannah.weber", "leila.rahimi"],
     ["proactive-service"], 15, "You spotted that the closed-card macro promised 3 days where "
     "banks take 10, and fixed it before the month-end rush.",
     ("article", "refund-to-closed-card")),
    ("saying-no", 32, 15, "agent", ["editor"], ["shared-knowledge"], 10,
     "Used your 'lead with what you can do' opening on a customer asking for a refund outside "
     "the window. She thanked me for being straight with her.",
     ("article", "saying-no-positively")),
    ("vat-numbers", 27, 11, "mentor", ["agent"], ["customer-champion", "went-the-extra-mile"],
     15, "Alex noticed that a customer's invoices had the wrong VAT number three months "
     "running and fixed all three, each with a credit note, before they had to ask.",
     ("ticket", "ZD-43902", "")),
    ("shouting-guy", 24, 16, "theo.laurent", ["ben.clarke"], ["team-player"], 5,
     "Thanks for taking the shouting guy's call, at least it was not your mum on the line "
     "this time, ha ha.", None),
    ("five-recorded-calls", 20, 10, "hannah.weber", ["kwame.mensah"], ["shared-knowledge"],
     10, "Your session with the five recorded calls changed how I open every difficult call. "
     "Naming the feeling before the fix works.", ("session", "angry-callers-in-practice")),
    ("sso-clinic", 13, 15, "ravi.iyer", ["mentor"], ["shared-knowledge"], 10,
     "The SSO clinic answered questions I had been afraid to ask for months. The live "
     "debugging was the best part.", ("session", "sso-troubleshooting-clinic")),
    ("opening-sentences", 10, 12, "hannah.weber", ["kwame.mensah"], ["team-player"], 15,
     "Five calls with your three opening sentences and not one escalation. Thank you for "
     "mentoring me.", ("pairing", "kwame.mensah", "hannah.weber")),
    ("sso-tenant", 8, 16, "manager", ["tom.becker"], ["shared-knowledge"], 20,
     "Tom showed me the SSO test tenant in thirty minutes. I finally understand what my team "
     "deals with every day.", ("pairing", "tom.becker", "manager")),
    ("chargebacks-101", 6, 10, "agent", ["manager"], ["shared-knowledge"], 10,
     "Chargebacks 101 was exactly what I needed: the 7-day deadline table is now pinned above "
     "my desk.", ("session", "chargebacks-101")),
    ("outage-page", 3, 14, "editor", ["agent", "mentor"], ["proactive-service",
     "team-player"], 10, "The billing outage page you two drafted while the incident was "
     "still running meant Tier 1 had answers within twenty minutes.", None),
]  # fmt: skip

# (kudos key, author, body): comments under the kudos, an hour or two after it.
COMMENTS = [
    ("lockout", "agent", "The recovery checklist made it easy, thanks @mentor."),
    ("billing-outage", "agent", "Team effort: Priya wrote the template everyone used."),
    ("billing-outage", "admin", "This is how an outage should be handled. Thank you!"),
    ("exception-refund", "kwame.mensah", "Exactly right: compassion, with the paperwork ready."),
    ("sso-clock-skew", "mentor", "Adding clock skew to the SSO article's causes."),
    ("outage-page", "manager", "Going into our outage playbook."),
    ("vat-numbers", "manager", "Great catch, Alex."),
]

# The reported kudos, and why.
REPORTED = (
    "shouting-guy",
    "manager",
    "Jokes about a colleague's family do not belong on the wall.",
)

# The success story: (kudos key, title, what we learned).
STORY = (
    "billing-outage",
    "212 double charges refunded in one day",
    "Refund first, explain second: during the billing outage the team refunded every double "
    "charge before customers asked, and a short personal note went to everyone who had "
    "called. Next time: start the status page at the first report, not the tenth.",
)

# (days ago, channel, agents, quote, customer, ticket, CSAT, recorded by)
PRAISE = [
    (77, "survey", ["agent", "priya.shah", "mei.chen"],
     "You told us about the double charge before we noticed and refunded it the same day. "
     "That is why we trust you.", "A bakery chain on the Business plan", "", 5, "manager"),
    (70, "chat", ["agent"],
     "Alex sorted out my double charge in one chat and told me exactly when the money would "
     "be back. Brilliant service.", "Jana, a Premium customer", "ZD-40811", 5, "agent"),
    (55, "phone", ["mentor", "diego.alvarez"],
     "I was locked out the day before a board meeting and you had me back in within the "
     "hour. Calm, clear and kind.", "The finance director of a logistics firm", "ZD-42017", 5,
     "mentor"),
    (49, "email", ["omar.farouk"],
     "Thank you for treating me like a person and not a ticket number at a very hard time.",
     "", "ZD-42561", None, "felix.schmidt"),
    (38, "review", ["kwame.mensah"],
     "Finally a company that listens. Kwame took my complaint seriously and fixed it.",
     "A public review", "", None, "kwame.mensah"),
    (22, "email", ["zara.khan", "noah.dubois"],
     "The onboarding call was the clearest hour we have had with any vendor. Our IT team "
     "had SSO running the same afternoon.", "An onboarding customer", "ZD-44310", 5, "editor"),
    (9, "chat", ["hannah.weber"],
     "Hannah stayed so calm while I was shouting at her. I am sorry, and thank you.",
     "", "ZD-45102", 4, "hannah.weber"),
    (4, "survey", ["agent"], "Quick, friendly and it worked the first time.", "", "ZD-45660",
     5, "manager"),
]  # fmt: skip

# Nominations for the seeded award: (nominee, nominated by, decided by or None, reason,
# evidence: keys of kudos to link).
NOMINATIONS = [
    ("kwame.mensah", "admin", "manager",
     "Kwame mentored two colleagues through their hardest calls this quarter, and his session "
     "on recorded calls changed how the whole floor opens a difficult conversation.",
     ["five-recorded-calls", "opening-sentences"]),
    ("agent", "manager", None,
     "Alex was at the centre of the billing outage response, fixed a customer's VAT invoices "
     "before they asked, and customers mention Alex by name in their surveys.",
     ["billing-outage", "vat-numbers"]),
]  # fmt: skip

# Weekly thank-yous between colleagues, between the stories above. {first} is the recipient's
# first name, {queue} their team's queue.
FILLER = [
    ("team-player", "Thanks {first} for picking up the overflow from the {queue} queue on "
     "Monday morning without being asked."),
    ("went-the-extra-mile", "{first} turned a one-star chat into a five-star one: patient, "
     "clear and honest about what we could not do."),
    ("team-player", "Thank you for the handover note on the {queue} case, {first}: I picked it "
     "up without asking the customer a single question."),
    ("shared-knowledge", "{first} answered my question about {queue} in the team channel so "
     "well that I turned the answer into a macro."),
    ("proactive-service", "{first} noticed three tickets about the same {queue} problem and "
     "raised it before it became thirty."),
    ("customer-champion", "{first} pushed back on a policy that did not make sense for the "
     "customer, with the evidence ready, and got it changed."),
    ("solved-the-hard-one", "The {queue} ticket that had bounced between three teams: {first} "
     "read the whole history, found the cause and closed it."),
    ("team-player", "{first} swapped shifts with me at a day's notice so I could be at my "
     "son's school play. Thank you!"),
    ("went-the-extra-mile", "{first} stayed on the phone until the customer's {queue} problem "
     "was really gone, not only the symptom."),
    ("shared-knowledge", "Thanks {first} for the five-minute walkthrough of the {queue} "
     "checklist at stand-up. It saved me an hour today."),
    ("proactive-service", "{first} updated the {queue} article the same day the process "
     "changed, so nobody gave the old answer."),
    ("customer-champion", "{first} found a refund the customer did not know they were owed "
     "and paid it back without being asked."),
]  # fmt: skip

# A team's queue, as its people call it.
QUEUES = {
    "billing": "refunds",
    "tech": "log-in",
    "success": "onboarding",
    "escalations": "complaints",
}

# Team leads give more than the organisation's default allowance.
ALLOWANCES = {"manager": 200}
