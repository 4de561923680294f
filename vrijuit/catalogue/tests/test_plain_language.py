from vrijuit.catalogue.plain_language import check_text, highlight, sentences_of, syllables

B1_TEXT = (
    "Kom zwemmen in het zwembad. De les duurt een uur. "
    "Je leert samen met andere kinderen. Breng een handdoek mee."
)
BUREAUCRATIC = (
    "Overeenkomstig de bepalingen van het toepasselijke huishoudelijk reglement dient de "
    "deelnemer voorafgaandelijk aan de aanvang van de activiteit het daartoe bestemde "
    "inschrijvingsformulier volledig ingevuld en ondertekend aan de verantwoordelijke "
    "organisator te bezorgen."
)


def test_a_short_b1_text_scores_easy():
    report = check_text(B1_TEXT)

    assert report.verdict == "easy"
    assert report.flesch_douma >= 60
    assert report.lix < 40
    assert report.sentence_count == 4
    assert report.long_sentences == []
    assert report.long_words == []


def test_a_bureaucratic_long_sentence_is_flagged():
    report = check_text(BUREAUCRATIC)

    assert report.verdict == "difficult"
    assert report.long_sentences == [BUREAUCRATIC.rstrip(".")]
    assert "inschrijvingsformulier" in report.long_words
    assert "verantwoordelijke" in report.long_words
    assert report.lix > 50


def test_dutch_vowel_groups_count_as_one_syllable():
    assert syllables("huis") == 1
    assert syllables("vrijetijd") == 3
    assert syllables("zwembad") == 2
    assert syllables("theater") == 3
    assert syllables("x") == 1


def test_sentences_end_at_punctuation_and_line_breaks():
    assert sentences_of("Welkom!\nKom je ook? Ja.") == ["Welkom", "Kom je ook", "Ja"]


def test_the_formulas_follow_textstat_for_dutch():
    # 2 sentences, 7 words, 8 syllables, 1 word over 6 letters ("zwembad" has 7).
    report = check_text("Kom naar het zwembad. Het is leuk.")

    assert report.word_count == 7
    assert report.syllable_count == 8
    assert report.flesch_douma == round(206.835 - 0.93 * 7 / 2 - 77 * 8 / 7, 1)
    assert report.lix == round(7 / 2 + 100 * 1 / 7, 1)


def test_an_empty_text_has_no_findings():
    report = check_text("  ")

    assert report.is_empty
    assert report.long_sentences == []


def test_highlight_marks_long_sentences_and_words_and_escapes_the_rest():
    html = highlight(BUREAUCRATIC + "\nKort. <b>vet</b>")

    assert html.startswith('<mark class="long-sentence">')
    assert "<mark>inschrijvingsformulier</mark>" in html
    assert "&lt;b&gt;vet&lt;/b&gt;" in html
    assert "<br>" in html
