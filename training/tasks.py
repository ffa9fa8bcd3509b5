from celery import shared_task

from .services import engineer
from .services.practice import remove_idle_practice_accounts as remove_idle


@shared_task(name="training.tasks.remove_idle_practice_accounts")
def remove_idle_practice_accounts() -> int:
    """Beat job: delete practice accounts nobody used for 30 days."""
    return remove_idle()


@shared_task(name="training.tasks.run_simulated_engineer")
def run_simulated_engineer() -> int:
    """Beat job: the simulated support engineer's sweep; returns how many cases it moved."""
    return engineer.run_simulated_engineer()


@shared_task(name="training.tasks.answer_chat")
def answer_chat(chat_id: int) -> bool:
    """The simulated engineer joins a chat or answers its latest message."""
    from .services.chat_engineer import answer

    return answer(chat_id)


@shared_task(name="training.tasks.place_call")
def place_call(call_id: int) -> bool:
    """The simulated engineer calls the number a case asked to be called back on."""
    from .services.call_engineer import place_call as call

    return call(call_id)
