from django import forms
from django.conf import settings

LANGUAGES = [("", "Detect automatically"), ("en", "English"), ("de", "German"),
             ("fr", "French"), ("es", "Spanish"), ("it", "Italian"), ("nl", "Dutch"),
             ("pt", "Portuguese"), ("pl", "Polish"), ("sv", "Swedish"), ("ja", "Japanese"),
             ("zh", "Chinese")]


class UploadForm(forms.Form):
    audio = forms.FileField(label="Recording",
                            help_text="Audio or video: wav, mp3, m4a, ogg, webm, flac, mp4…")
    title = forms.CharField(max_length=200, required=False,
                            help_text="Leave empty to use the file's name.")
    held_on = forms.DateField(label="Meeting date", required=False,
                              widget=forms.DateInput(attrs={"type": "date"}),
                              help_text="Due dates said in the meeting are counted from it.")
    language = forms.ChoiceField(choices=LANGUAGES, required=False)

    def clean_audio(self):
        audio = self.cleaned_data["audio"]
        if audio.size > settings.UPLOAD_MAX_BYTES:
            raise forms.ValidationError("This file is larger than the server accepts.")
        return audio


class SegmentForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class MeetingForm(forms.Form):
    title = forms.CharField(max_length=200)
    held_on = forms.DateField(label="Meeting date", widget=forms.DateInput(attrs={"type": "date"}))
