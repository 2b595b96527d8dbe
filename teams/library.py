"""The protocol library OpenDoors ships: each protocol as timed steps with who speaks, who
listens and the facilitator's prompt, and where it comes from.

Plain data. The data migration `teams/migrations/0002_protocol_library.py` loads it, and
`teams.protocol_services.library_sync` brings the rows up to date when it changes (each is
found by its `key`). The prompts are written in OpenDoors' own words; `source` names the
published protocol or the source document it follows.

The debriefs of the five structures are library protocols too, built from the structures'
own words (`inquiry.structures`: DESCRIBE_TO_NEXT_LEVEL for rounds, WHAT_SO_WHAT for labs,
swap days and micro-observations, STUDENT_EXPERIENCE for learning walks): a visit's debrief
runs them with the same runner as a team's meeting, and the words are written once.
"""

from dataclasses import dataclass

from inquiry.structures import (
    DESCRIBE_TO_NEXT_LEVEL,
    STUDENT_EXPERIENCE,
    WHAT_SO_WHAT,
    DebriefProtocol,
)


@dataclass(frozen=True)
class LibraryStep:
    title: str
    minutes: int
    roles: str
    prompt: str


@dataclass(frozen=True)
class LibraryProtocol:
    key: str
    title: str
    purpose: str
    source: str
    steps: tuple[LibraryStep, ...]

    @property
    def total_minutes(self) -> int:
        return sum(step.minutes for step in self.steps)


def debrief_steps(protocol: DebriefProtocol, roles: dict[str, str]) -> tuple[LibraryStep, ...]:
    """A structure's debrief as library steps: its own names, prompts and minutes, and who
    speaks in each."""
    return tuple(
        LibraryStep(step.name, step.minutes, roles[step.name], step.prompt) for step in protocol
    )


NSRF = "National School Reform Faculty (NSRF) and School Reform Initiative (SRI)"
OWN_WORDS = "Steps and prompts in OpenDoors' own words."
# Katie Martin's guest post on five practices for team collaboration time (celebrate
# successes; set goals and reflect on progress; teach one another; critique and revise;
# problem-solve), one of the project's source documents.
FIVE_PRACTICES = (
    "Katie Martin, “five ways to help teams collectively improve” (collaboration time: "
    "celebrate successes, set goals and reflect on progress, teach one another)"
)

# Who speaks in the rounds debrief: the same for every step but the words of the prompt.
ROUNDS_ROLES = {
    "Describe": "Everyone; evidence only, no judgments",
    "Analyze": "Everyone; the facilitator charts patterns across classrooms",
    "Predict": "Everyone",
    "Next level of work": "Everyone; the facilitator records the next level of work",
}

TUNING = LibraryProtocol(
    key="tuning",
    title="Tuning protocol",
    purpose="Critique and revise: a presenter brings student work or a lesson, with a "
    "question about it, and the team helps them tune it with warm and cool feedback.",
    source=f"Tuning Protocol, first developed by David Allen and Joseph McDonald (Coalition "
    f"of Essential Schools); published by the {NSRF}. {OWN_WORDS}",
    steps=(
        LibraryStep(
            "Introduction",
            2,
            "Facilitator speaks",
            "Remind the group of the steps, the times and the norms: feedback is about the "
            "work, not the person. Name the recorder.",
        ),
        LibraryStep(
            "Presentation",
            10,
            "Presenter speaks; participants listen silently",
            "What were you trying to do with this work, and what happened? Share the context, "
            "the students' work or the lesson, and the one question you want feedback on.",
        ),
        LibraryStep(
            "Clarifying questions",
            5,
            "Participants ask; the presenter answers briefly",
            "Ask short, factual questions the presenter can answer in a sentence. Save "
            "suggestions for later.",
        ),
        LibraryStep(
            "Pause to look at the work",
            5,
            "Everyone silent",
            "Look at the work again. Jot down what is working (warm) and what raises "
            "questions (cool), with the presenter's question in mind.",
        ),
        LibraryStep(
            "Warm and cool feedback",
            15,
            "Participants speak; the presenter is silent and takes notes",
            "Start with warm feedback: where does the work meet its goal? Then cool feedback: "
            "where are the gaps, what might the presenter consider? Speak to the question.",
        ),
        LibraryStep(
            "Presenter's response",
            8,
            "Presenter speaks; participants listen silently",
            "What did you hear that you want to take further? There is no need to answer "
            "every comment.",
        ),
        LibraryStep(
            "Debrief",
            5,
            "Everyone; the facilitator leads",
            "How did the protocol go? What helped the presenter most, and what would we change "
            "next time?",
        ),
    ),
)

CONSULTANCY = LibraryProtocol(
    key="consultancy",
    title="Consultancy",
    purpose="Problem-solve: a member puts a problem of practice on the table with a focus "
    "question, and the team helps them think it through rather than solve it for them.",
    source=f"Consultancy protocol, published by the {NSRF}. {OWN_WORDS}",
    steps=(
        LibraryStep(
            "The dilemma and focus question",
            10,
            "Presenter speaks; participants listen silently",
            "Describe the dilemma: what have you tried, what happened, what makes it hard? "
            "End with the one focus question you want the team to think about.",
        ),
        LibraryStep(
            "Clarifying questions",
            5,
            "Participants ask; the presenter answers briefly",
            "Ask questions with short, factual answers that help you understand the dilemma.",
        ),
        LibraryStep(
            "Probing questions",
            10,
            "Participants ask; the presenter responds without discussion",
            "Ask open questions that help the presenter think more deeply (“What would "
            "success look like?”, “What do you assume about…?”). No advice in disguise.",
        ),
        LibraryStep(
            "Discussion",
            15,
            "Participants talk among themselves; the presenter is silent and takes notes",
            "Talk about the dilemma as if the presenter were not in the room: what did we "
            "hear, what might be going on, what could be tried? Stay with the focus question.",
        ),
        LibraryStep(
            "Presenter's response",
            5,
            "Presenter speaks; participants listen silently",
            "What struck you? What are you now thinking about doing?",
        ),
        LibraryStep(
            "Debrief",
            5,
            "Everyone; the facilitator leads",
            "How did the conversation serve the presenter? What did we learn for our own practice?",
        ),
    ),
)

ATLAS = LibraryProtocol(
    key="atlas-looking-at-data",
    title="ATLAS: looking at data",
    purpose="Look at a set of student data together, describing before interpreting, and "
    "agree on what it means for our teaching.",
    source="ATLAS – Looking at Data, Eric Buchovecky, adapted from the ATLAS Learning from "
    f"Student Work protocol; published by the National School Reform Faculty. {OWN_WORDS}",
    steps=(
        LibraryStep(
            "Getting started",
            3,
            "Facilitator speaks",
            "Share the data set with a sentence of context only: where it comes from and "
            "which students. Remind everyone to describe before interpreting.",
        ),
        LibraryStep(
            "Describe the data",
            10,
            "Everyone; facts only",
            "What do you see? Name only what is in the data: numbers, patterns, what stands "
            "out. If you hear yourself explaining why, hold it for the next step.",
        ),
        LibraryStep(
            "Interpret the data",
            15,
            "Everyone",
            "What might explain what we see? What does it suggest students know and can do, "
            "and where are they struggling? What are we assuming?",
        ),
        LibraryStep(
            "Implications for practice",
            15,
            "Everyone; the facilitator records next steps",
            "What could we do differently in our classrooms? What would we want to find out "
            "next, and how?",
        ),
        LibraryStep(
            "Reflect on the protocol",
            5,
            "Everyone",
            "How well did we stay with description before interpretation? What would we do "
            "differently with the next data set?",
        ),
    ),
)

SUCCESS_ANALYSIS = LibraryProtocol(
    key="success-analysis",
    title="Success analysis",
    purpose="Learn from what works: each member brings a success, and the team names what "
    "made it work so that it can happen again.",
    source=f"Success Analysis protocol, published by the {NSRF}. {OWN_WORDS}",
    steps=(
        LibraryStep(
            "Write",
            5,
            "Everyone writes silently",
            "Think of a recent success with students. What happened, and what did you do that "
            "helped it happen?",
        ),
        LibraryStep(
            "Share in turns",
            20,
            "One member at a time speaks; the others listen, then ask a question or two",
            "Tell the story of your success and why you think it worked.",
        ),
        LibraryStep(
            "What made it work",
            10,
            "Everyone",
            "What do our successes have in common: conditions, moves, relationships?",
        ),
        LibraryStep(
            "Apply",
            8,
            "Everyone",
            "How can we create those conditions on purpose, in our own classrooms?",
        ),
        LibraryStep("Debrief", 2, "Everyone", "What will you take from today?"),
    ),
)

SAVE_THE_LAST_WORD = LibraryProtocol(
    key="save-the-last-word",
    title="Save the last word",
    purpose="Discuss a reading so that every voice is heard: each member chooses a passage, "
    "hears what the others make of it, and has the last word on it.",
    source=f"Save the Last Word for Me, published by the {NSRF}. {OWN_WORDS}",
    steps=(
        LibraryStep(
            "Read and choose",
            10,
            "Everyone reads silently",
            "Read the text. Mark one passage that struck you, and note why.",
        ),
        LibraryStep(
            "Rounds",
            30,
            "In each round, the member who chose the passage is silent until the last word",
            "One member reads their passage aloud without comment. Each of the others "
            "responds in a minute. Then the member who chose it has the last word: why it "
            "struck them, and what they now think after hearing the others.",
        ),
        LibraryStep(
            "Debrief",
            5,
            "Everyone",
            "What did we learn from the text, and from each other's readings of it?",
        ),
    ),
)

TEACH_ONE_ANOTHER = LibraryProtocol(
    key="teach-one-another",
    title="Teach one another",
    purpose="A member teaches the team a strategy, a tool or a lesson learned, or shares a "
    "reading; the team tries it and plans where to use it.",
    source=f"{FIVE_PRACTICES}. {OWN_WORDS}",
    steps=(
        LibraryStep(
            "What we will learn",
            2,
            "Facilitator speaks",
            "Name who teaches today and what: a strategy, a tool, a lesson learned, or a reading.",
        ),
        LibraryStep(
            "Teach",
            15,
            "The member teaching leads; the others take part as learners",
            "Teach it as you would to students, or walk us through the reading: what it is, "
            "why it matters, what it looked like in your classroom.",
        ),
        LibraryStep(
            "Try it",
            10,
            "Everyone",
            "Try the strategy together, or plan the first time you would use it with your "
            "students.",
        ),
        LibraryStep(
            "Questions",
            8,
            "Everyone asks; the member teaching answers",
            "What would you need to know to use this next week?",
        ),
        LibraryStep(
            "Commit",
            5,
            "Each member in turn",
            "When and with which class will you try it? We will hear how it went at a later "
            "meeting.",
        ),
    ),
)

GOAL_CHECK_IN = LibraryProtocol(
    key="goal-check-in",
    title="Goal check-in",
    purpose="Set goals and reflect on progress: each member reports on their goal, and the "
    "team holds each other to it with support, not judgment.",
    source="Katie Martin's five practices for collaboration time (set goals and reflect on "
    "progress); the follow-up questions from Kari Montgomery, “From Practice to Progress: "
    f"Empowering Educators Through Job-Embedded Learning”. {OWN_WORDS}",
    steps=(
        LibraryStep(
            "Reread your goal",
            3,
            "Everyone silent",
            "Reread the goal you set: what you said you would try in your classroom.",
        ),
        LibraryStep(
            "Report in turns",
            25,
            "One member at a time speaks; the others listen",
            "What did you try? Did you get the results you anticipated? Why, or why not?",
        ),
        LibraryStep(
            "Patterns and support",
            10,
            "Everyone",
            "What do we notice across our reports? Who could use a hand, a visit or a "
            "resource, and who can offer it?",
        ),
        LibraryStep(
            "Next goals",
            7,
            "Each member in turn",
            "Keep, change or replace your goal: what will you try next?",
        ),
    ),
)

CELEBRATE_SUCCESSES = LibraryProtocol(
    key="celebrate-successes",
    title="Celebrate successes",
    purpose="A few minutes to notice what is going well and name a colleague's work for "
    "students' learning, so that people feel seen. No ranking, no prizes.",
    source=f"{FIVE_PRACTICES}. {OWN_WORDS}",
    steps=(
        LibraryStep(
            "Notice",
            2,
            "Everyone writes silently",
            "Think of something specific a colleague did this week for students' learning.",
        ),
        LibraryStep(
            "Shout-outs",
            6,
            "In turns; the person celebrated just listens",
            "Name the colleague and what they did, and what it meant for students.",
        ),
        LibraryStep(
            "What is going well",
            2,
            "Everyone",
            "What do these moments tell us about what is working in our school?",
        ),
    ),
)

ROUNDS_DEBRIEF = LibraryProtocol(
    key=DESCRIBE_TO_NEXT_LEVEL.key,
    title="Instructional rounds debrief",
    purpose="After visiting classrooms, work from evidence to patterns across classrooms, "
    "never commentary on one teacher, to the next level of work.",
    source="Elizabeth City, Richard Elmore, Sarah Fiarman and Lee Teitel, “Instructional "
    f"Rounds in Education” (Harvard Education Press, 2009). {OWN_WORDS}",
    steps=debrief_steps(DESCRIBE_TO_NEXT_LEVEL, ROUNDS_ROLES),
)


# Kari Montgomery's peer learning labs give the organizer (we saw and heard / why it matters
# for student understanding / implications for my practice) and the reflection right after.
WHAT_SO_WHAT_DEBRIEF = LibraryProtocol(
    key=WHAT_SO_WHAT.key,
    title="What? So what? Now what?",
    purpose="The reflection right after a lab, a swap-day visit or a micro-observation: from "
    "what we saw and heard, to why it matters for students' understanding, to what it means "
    "for our own practice.",
    source="Terry Borton's reflective questions, “Reach, Touch and Teach” (1970), as in Rolfe, "
    "Freshwater and Jasper's model (2001); the observers' organizer of Kari Montgomery's peer "
    f"learning labs (“From Practice to Progress”). {OWN_WORDS}",
    steps=debrief_steps(
        WHAT_SO_WHAT,
        {
            "What": "Everyone, in turns; what was seen and heard, no judgments",
            "So what": "Everyone; the facilitator keeps the talk on students' understanding",
            "Now what": "Each participant speaks for their own practice",
        },
    ),
)

STUDENT_EXPERIENCE_DEBRIEF = LibraryProtocol(
    key=STUDENT_EXPERIENCE.key,
    title="Student experience debrief",
    purpose="After a learning walk, talk about the student experience rather than teacher "
    "moves: what students did, said and thought across the classrooms, and one next step "
    "for the team.",
    source="Kari Montgomery, “From Practice to Progress: Empowering Educators Through "
    "Job-Embedded Learning” (cross-grade and cross-content learning walks: “What were "
    "students doing, saying, thinking?”, one actionable next step for each team). "
    f"{OWN_WORDS}",
    steps=debrief_steps(
        STUDENT_EXPERIENCE,
        {
            "Did": "Everyone; evidence of what students did, never of one teacher",
            "Said": "Everyone; students' own words where we have them",
            "Thought": "Everyone; say what the evidence is for each claim",
            "Next step": "Everyone; the facilitator records the team's one next step",
        },
    ),
)

LAB_CO_PLANNING = LibraryProtocol(
    key="lab-co-planning",
    title="Lab co-planning",
    purpose="The learning lab's team plans the lesson together before teaching it: the "
    "goal, the task, the student thinking we anticipate, and where a teacher time-out might "
    "help us think together.",
    source="Learning labs as described by Elham Kazemi and Jessica Calabrese (“The Best of "
    "Us”, S3/E12, and Kazemi et al., “Learning Together”), and Kari Montgomery's peer "
    f"learning labs (the pre-brief: the instructional goal, expectations, focus). {OWN_WORDS}",
    steps=(
        LibraryStep(
            "The goal",
            8,
            "The host speaks first; then everyone",
            "What do we want students to learn in this lesson, and which strategy is the host "
            "refining? How does it connect to our problem of practice?",
        ),
        LibraryStep(
            "The task",
            12,
            "Everyone works the task as students would",
            "Do the task yourselves. What does it ask of students? Where is the thinking?",
        ),
        LibraryStep(
            "Anticipated student thinking",
            15,
            "Everyone",
            "Which strategies, questions and misconceptions do we expect? How might we respond "
            "to each, and which ideas do we want the class to hear?",
        ),
        LibraryStep(
            "Teacher time-outs",
            8,
            "Everyone; the host decides",
            "Where in the lesson might a time-out help us think aloud together? Who may call "
            "one, and how will we keep it short and safe for the host?",
        ),
        LibraryStep(
            "What we will watch for",
            5,
            "The facilitator assigns; everyone confirms",
            "Which students and which look-fors will each of us watch? We are studying "
            "students' thinking, not judging the teaching.",
        ),
    ),
)

PROTOCOLS: tuple[LibraryProtocol, ...] = (
    TUNING,
    CONSULTANCY,
    ATLAS,
    SUCCESS_ANALYSIS,
    SAVE_THE_LAST_WORD,
    TEACH_ONE_ANOTHER,
    GOAL_CHECK_IN,
    CELEBRATE_SUCCESSES,
    ROUNDS_DEBRIEF,
    WHAT_SO_WHAT_DEBRIEF,
    STUDENT_EXPERIENCE_DEBRIEF,
    LAB_CO_PLANNING,
)
