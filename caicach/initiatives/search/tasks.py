"""Background work of the search area: the initiatives list as Excel when it is long, and
the similar-dossiers index, rebuilt every night and on demand."""

from __future__ import annotations

import datetime

from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from caicach.core.jobs.services import JobError, JobOutput, Progress, job_handler
from caicach.core.models import Job, SecurityKind
from caicach.core.reminders import daily
from caicach.core.security import services as security_log
from caicach.initiatives.search.similar import build_index, save_index

INITIATIVES_EXPORT = "initiatives.initiatives_export"
SIMILARITY_INDEX = "initiatives.similarity_index"


@job_handler(INITIATIVES_EXPORT, label=gettext_lazy("Xuất danh sách sáng kiến ra Excel"), idempotent=True)
def initiatives_export(job: Job, progress: Progress) -> JobOutput:
    """The dossiers the job's creator may see *now* (rights are read again: they may have
    changed since the click), narrowed by the list's query string."""
    from caicach.initiatives.search import queries as search_queries
    from caicach.initiatives.search.forms import InitiativeFilterForm  # the forms import the queries

    creator = job.created_by
    if creator is None or not creator.is_active:
        raise JobError(_("Người yêu cầu xuất danh sách không còn hoạt động."))
    form = InitiativeFilterForm(QueryDict(str(job.parameters.get("query", ""))), user=creator)
    rows = search_queries.initiative_rows(creator, form.filters())
    progress(0, rows.count())
    security_log.record(SecurityKind.PERSONAL_DATA_EXPORT, user=creator, export="initiatives", job=job.pk)
    content = search_queries.export_xlsx(rows, progress=progress)
    return JobOutput(content=content, name=search_queries.export_filename(), message=_("Đã xuất danh sách."))


@job_handler(SIMILARITY_INDEX, label=gettext_lazy("Lập chỉ mục sáng kiến tương tự"), idempotent=True)
def similarity_index_job(job: Job, progress: Progress) -> JobOutput:
    save_index(build_index(progress))
    return JobOutput(message=_("Đã lập lại chỉ mục sáng kiến tương tự."))


@daily("initiatives.similarity_index")
def rebuild_similarity_index(day: datetime.date) -> None:
    """Every night: the dossiers sent today join the index (until then they are compared
    one by one, see ``similar.similar_to``)."""
    save_index(build_index())
