"""`{{ room|classroom_label:cycle }}`: a visit's classroom named as everywhere else."""

from django import template

from inquiry import structures

register = template.Library()


@register.filter
def classroom_label(room, cycle) -> str:
    return structures.classroom_label(room, cycle)
