"""The patient chat: a Gradio adapter over ``Pipeline.ask``. It maps answers to bubbles, nothing else.

Named API endpoints, for gradio_client and clinic scripts:
  /ask       (question: str, history: list[{role, content}]) -> the answer object + answer_id
  /feedback  (answer_id: str, rating: "up"|"down", reason: str) -> {"stored": bool}
"""

from __future__ import annotations

import logging
import time
from typing import Any, Iterator

import gradio as gr

from assistant.types import Answer, Question, Turn
from library.settings import Settings
from ui import render
from ui.records import Records
from ui.texts import Texts, load_texts

log = logging.getLogger(__name__)

FRAME_DELAY_S = 0.04
MAX_HISTORY_TURNS = 6


def new_session() -> dict[str, Any]:
    """Per-browser-tab state: plain-text turns for follow-ups, and which message is which answer."""
    return {"turns": [], "answers": {}}


class PatientChat:
    """Holds the pipeline and the records; its methods are the event handlers."""

    def __init__(self, pipeline, settings: Settings, records: Records, texts: Texts | None = None):
        self.pipeline = pipeline
        self.settings = settings
        self.records = records
        self.texts = texts or load_texts(settings.clinic)

    # --------------------------------------------------------------------------------------------
    def answer(self, question: str, turns: list[dict], channel: str) -> tuple[Answer, str]:
        history = [Turn(**t) for t in turns[-MAX_HISTORY_TURNS:]]
        answer = self.pipeline.ask(Question(text=question, history=history))
        answer_id = self.records.log_answer(question, answer, channel=channel)
        return answer, answer_id

    def context(self, answer: Answer, answer_id: str) -> render.RenderContext:
        return render.RenderContext(self.texts, self.settings.clinic, answer_id, self.chunk_texts(answer))

    def chunk_texts(self, answer: Answer) -> dict[str, str]:
        """The indexed chunk of each citation, so a card can show the quote within its paragraph."""
        out = {}
        for c in answer.citations:
            try:
                chunk = self.pipeline.chunk(c.chunk_id)
            except Exception:  # noqa: BLE001 - cards then show the quote alone
                chunk = None
            if chunk is not None:
                out[c.chunk_id] = chunk.text
        return out

    # --------------------------------------------------------------------------------------------
    # event handlers

    def respond(self, message: str, chat: list, session: dict) -> Iterator[tuple[str, list, dict, Any]]:
        """Streams one exchange: the question at once, then the answer sentence by sentence."""
        message = (message or "").strip()
        chat = list(chat or [])
        session = session or new_session()
        if not message:
            yield "", chat, session, gr.update()
            return
        chat.append({"role": "user", "content": render.user_html(message)})
        thinking = render.RenderContext(self.texts, self.settings.clinic)
        yield "", chat + [{"role": "assistant", "content": render.thinking_html(thinking)}], session, gr.update(visible=False)

        answer, answer_id = self.answer(message, session["turns"], channel="chat")
        session["turns"] = session["turns"] + [
            {"role": "user", "content": message},
            {"role": "assistant", "content": answer.text},
        ]
        session["answers"] = {**session["answers"], str(len(chat)): answer_id}
        chat.append({"role": "assistant", "content": ""})
        for frame in render.stream_frames(answer, self.context(answer, answer_id)):
            chat[-1] = {"role": "assistant", "content": frame}
            yield "", chat, session, gr.update()
            time.sleep(FRAME_DELAY_S)

    def on_like(self, session: dict, data: gr.LikeData):
        """Thumbs on an answer: stored at once; then the panel asks for an optional reason."""
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        answer_id = (session or {}).get("answers", {}).get(str(index))
        if not answer_id:
            return gr.update(visible=False), gr.update(), "", ""
        if data.liked is True or data.liked is False:
            rating = "up" if data.liked is True else "down"
            self.records.add_feedback(answer_id, rating)
            question = self.texts["feedback.question_up" if rating == "up" else "feedback.question_down"]
            return gr.update(visible=True), gr.update(value=question), "", answer_id
        self.records.remove_feedback(answer_id)  # the thumb was clicked again: taken back
        return gr.update(visible=False), gr.update(), "", ""

    def send_reason(self, reason: str, answer_id: str):
        if answer_id and (reason or "").strip():
            self.records.set_reason(answer_id, reason)
        gr.Info(self.texts["feedback.thanks"])
        return gr.update(visible=False), "", ""

    def new_conversation(self):
        return [], new_session(), "", gr.update(visible=False), ""

    # --------------------------------------------------------------------------------------------
    # API endpoints (typed: gr.api derives the schema from the hints)

    def api_ask(self, question: str, history: list[dict] | None = None) -> dict:
        """Ask the clinic's library. Returns the answer object (kind, text with [n] markers, citations) and an answer_id for /feedback."""
        turns = [t for t in (history or []) if isinstance(t, dict) and t.get("role") in ("user", "assistant")]
        turns = [{"role": t["role"], "content": str(t.get("content", ""))} for t in turns]
        answer, answer_id = self.answer(question or "", turns, channel="api")
        return {**answer.contract_json(), "answer_id": answer_id}

    def api_feedback(self, answer_id: str, rating: str, reason: str = "") -> dict:
        """Thumbs up ("up") or down ("down") on an answer, with an optional reason. Identifying details are removed before storing."""
        rating = (rating or "").strip().lower()
        if rating not in ("up", "down"):
            return {"stored": False, "error": "rating must be 'up' or 'down'"}
        return {"stored": self.records.add_feedback(answer_id, rating, reason or None)}


def starter_text(data: gr.SelectData) -> str:
    """A starter question was picked: it becomes the question."""
    return data.value["text"] if isinstance(data.value, dict) else str(data.value)


def create_patient_app(pipeline, settings: Settings, records: Records | None = None, texts: Texts | None = None) -> gr.Blocks:
    chat = PatientChat(pipeline, settings, records or Records.from_settings(settings), texts)
    t = chat.texts
    with gr.Blocks(title=t["title"], fill_width=False, elem_id="kea-patient") as demo:
        gr.HTML(render.header_html(t) + render.notice_html(t, settings.clinic), elem_id="kea-top", padding=False)
        session = gr.State(new_session())
        pending = gr.State("")
        chatbot = gr.Chatbot(
            elem_id="kea-chat",
            label=t["input.label"],
            show_label=False,
            height="calc(100dvh - 350px)",
            min_height=300,
            layout="bubble",
            buttons=[],
            placeholder=render.esc(t["empty_chat"]),
            examples=[{"text": q} for q in t["starters"]],
            feedback_options=("Like", "Dislike"),
            line_breaks=False,
            latex_delimiters=[],
            autoscroll=False,  # head.html scrolls to the start of each answer instead of its end
            group_consecutive_messages=False,
        )
        with gr.Row(elem_id="kea-ask-row", equal_height=True):
            question = gr.Textbox(
                label=t["input.label"],
                show_label=False,
                placeholder=t["input.placeholder"],
                lines=1,
                max_lines=4,
                scale=5,
                autofocus=False,
                elem_id="kea-question",
                submit_btn=False,
            )
            send = gr.Button(t["input.send"], variant="primary", scale=1, min_width=80, elem_id="kea-send")
        with gr.Group(visible=False, elem_classes=["kea-feedback"]) as feedback_panel:  # an elem_id here is doubled by Gradio
            feedback_question = gr.Markdown(t["feedback.question_down"])
            feedback_text = gr.Textbox(show_label=False, placeholder=t["feedback.placeholder"], max_lines=3, elem_id="kea-feedback-text")
            with gr.Row():
                feedback_send = gr.Button(t["feedback.send"], size="sm", variant="primary", elem_id="kea-feedback-send")
                feedback_skip = gr.Button(t["feedback.skip"], size="sm", elem_id="kea-feedback-skip")
        with gr.Row(elem_id="kea-bottom-row", equal_height=True):
            gr.HTML(render.privacy_html(t), padding=False, elem_id="kea-privacy")
            new = gr.Button(t["input.new_conversation"], size="sm", variant="secondary", scale=0, min_width=150, elem_id="kea-new")

        outputs = [question, chatbot, session, feedback_panel]
        for trigger in (question.submit, send.click):
            trigger(chat.respond, [question, chatbot, session], outputs, api_visibility="private", concurrency_limit=8)
        chatbot.example_select(starter_text, None, question, api_visibility="private", queue=False).then(chat.respond, [question, chatbot, session], outputs, api_visibility="private", concurrency_limit=8)
        chatbot.like(chat.on_like, [session], [feedback_panel, feedback_question, feedback_text, pending], api_visibility="private")
        feedback_send.click(chat.send_reason, [feedback_text, pending], [feedback_panel, feedback_text, pending], api_visibility="private")
        feedback_text.submit(chat.send_reason, [feedback_text, pending], [feedback_panel, feedback_text, pending], api_visibility="private")
        feedback_skip.click(lambda: (gr.update(visible=False), "", ""), None, [feedback_panel, feedback_text, pending], api_visibility="private")
        new.click(chat.new_conversation, None, [chatbot, session, question, feedback_panel, pending], api_visibility="private", queue=False)
        # No chatbot.clear handler: it would add the chat's own clear icon, which sits over the bubbles;
        # "New conversation" does the same.

        gr.api(chat.api_ask, api_name="ask", concurrency_limit=8)
        gr.api(chat.api_feedback, api_name="feedback")
    demo.patient_chat = chat  # for tests and the server: the adapter behind the page
    return demo
