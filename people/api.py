from __future__ import annotations

from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from people.models import User


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    team = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    skills = serializers.SerializerMethodField()
    profile_url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = User
        fields = [
            "username",
            "name",
            "job_title",
            "team",
            "experience_level",
            "skills",
            "profile_url",
        ]

    def get_skills(self, person: User) -> list[str]:
        return [skill.name for skill in person.skills.all()]


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    """The people directory. `?q=` searches names, job titles and skills."""

    serializer_class = PersonSerializer
    lookup_field = "username"
    lookup_value_regex = "[^/]+"

    def get_queryset(self):
        people = User.objects.visible_to(self.request.user).with_directory_data()
        return people.search(self.request.query_params.get("q", "")[:100])

    @action(detail=False)
    def me(self, request: Request) -> Response:
        person = self.get_queryset().get(pk=request.user.pk)
        return Response(self.get_serializer(person).data)
