"""The fixed texts of the printed Integrationsvereinbarung, per language, as translation data.

The client receives the agreement in German and in their own language (a bilingual document).
Only the fixed labels and sentences are translated; what the case manager entered is printed as
entered (German). A translation counts as approved only when a certified translator has released
it (``approved_by`` and ``approved_on`` set); every other translation carries a visible
"unverified translation" note in the document, in German and in the language itself.

To add a language, add a :class:`DocumentLanguage` with every key of ``GERMAN``;
``tests/agreements/test_texts.py`` fails on a missing or empty key.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

GERMAN: dict[str, str] = {
    "title": "Integrationsvereinbarung",
    "intro": (
        "In dieser Vereinbarung halten wir gemeinsam fest, welche Ziele Sie erreichen möchten, "
        "woran wir erkennen, dass ein Ziel erreicht ist, wer was bis wann tut und wann wir "
        "gemeinsam prüfen, wie es vorangeht."
    ),
    "voluntary": (
        "Die Teilnahme am Case Management ist freiwillig. Sie können die Vereinbarung jederzeit "
        "mit uns besprechen und ändern."
    ),
    "client": "Klient/in",
    "born": "geboren am",
    "case_number": "Aktenzeichen",
    "case_manager": "Case Manager/in",
    "organisation": "Stelle",
    "version": "Fassung",
    "status": "Stand",
    "status_draft": "Entwurf – noch nicht vereinbart",
    "status_agreed": "vereinbart",
    "status_superseded": "abgelöst durch eine neuere Fassung",
    "agreed_on": "vereinbart am",
    "signed_by_client": "von der Klientin / dem Klienten unterschrieben",
    "yes": "ja",
    "no": "nein",
    "goals": "Ziele",
    "goal": "Ziel",
    "field_of_action": "Handlungsfeld",
    "what": "Was genau soll erreicht werden?",
    "indicator": "Woran erkennen wir, dass das Ziel erreicht ist?",
    "responsible": "Wer ist verantwortlich?",
    "responsible_client": "Klient/in",
    "responsible_case_manager": "Case Manager/in",
    "responsible_organisation": "Organisation",
    "due": "Bis wann?",
    "measures": "Vereinbarte Schritte",
    "review": "Überprüfung am",
    "next_review": "Nächstes gemeinsames Gespräch zur Überprüfung",
    "notes": "Weitere Absprachen",
    "entered_in_german": (
        "Die Einträge zu den einzelnen Zielen sind auf Deutsch festgehalten. Bitte lassen Sie "
        "sich diese übersetzen, wenn Sie sie nicht verstehen."
    ),
    "signatures": "Unterschriften",
    "sign_client": "Unterschrift Klient/in",
    "sign_case_manager": "Unterschrift Case Manager/in",
    "place_date": "Ort, Datum",
    "unverified": (
        "Diese Übersetzung wurde nicht von einer geprüften Übersetzerin oder einem geprüften "
        "Übersetzer freigegeben. Maßgeblich ist der deutsche Text."
    ),
    "unverified_short": "Übersetzung nicht geprüft",
}

ARABIC: dict[str, str] = {
    "title": "اتفاقية الاندماج",
    "intro": (
        "نسجّل في هذه الاتفاقية معًا الأهداف التي تريد تحقيقها، وكيف نعرف أن الهدف قد تحقق، "
        "ومن يفعل ماذا وحتى متى، ومتى نراجع معًا سير التقدم."
    ),
    "voluntary": (
        "المشاركة في إدارة الحالة طوعية. يمكنك مناقشة هذه الاتفاقية معنا وتغييرها في أي وقت."
    ),
    "client": "المستفيد/ة",
    "born": "تاريخ الميلاد",
    "case_number": "رقم الملف",
    "case_manager": "مدير/ة الحالة",
    "organisation": "الجهة",
    "version": "النسخة",
    "status": "الحالة",
    "status_draft": "مسودة – لم يتم الاتفاق عليها بعد",
    "status_agreed": "متفق عليها",
    "status_superseded": "استُبدلت بنسخة أحدث",
    "agreed_on": "تاريخ الاتفاق",
    "signed_by_client": "وقّع عليها المستفيد/ة",
    "yes": "نعم",
    "no": "لا",
    "goals": "الأهداف",
    "goal": "الهدف",
    "field_of_action": "مجال العمل",
    "what": "ما الذي نريد تحقيقه بالضبط؟",
    "indicator": "كيف نعرف أن الهدف قد تحقق؟",
    "responsible": "من المسؤول؟",
    "responsible_client": "المستفيد/ة",
    "responsible_case_manager": "مدير/ة الحالة",
    "responsible_organisation": "جهة",
    "due": "حتى متى؟",
    "measures": "الخطوات المتفق عليها",
    "review": "موعد المراجعة",
    "next_review": "الموعد القادم للمراجعة المشتركة",
    "notes": "اتفاقات أخرى",
    "entered_in_german": (
        "المدخلات الخاصة بكل هدف مكتوبة باللغة الألمانية. يرجى طلب ترجمتها إذا لم تفهمها."
    ),
    "signatures": "التوقيعات",
    "sign_client": "توقيع المستفيد/ة",
    "sign_case_manager": "توقيع مدير/ة الحالة",
    "place_date": "المكان، التاريخ",
    "unverified": "لم يعتمد هذه الترجمة مترجم معتمد. النص الألماني هو المرجع.",
    "unverified_short": "ترجمة غير مُراجَعة",
}

FARSI: dict[str, str] = {
    "title": "توافق‌نامهٔ ادغام",
    "intro": (
        "در این توافق‌نامه با هم ثبت می‌کنیم که به چه اهدافی می‌خواهید برسید، از کجا می‌فهمیم "
        "که به هدف رسیده‌اید، چه کسی تا چه زمانی چه کاری انجام می‌دهد و چه زمانی با هم پیشرفت "
        "را بررسی می‌کنیم."
    ),
    "voluntary": (
        "شرکت در مدیریت پرونده داوطلبانه است. شما می‌توانید هر زمان این توافق‌نامه را با ما "
        "در میان بگذارید و تغییر دهید."
    ),
    "client": "مراجعه‌کننده",
    "born": "تاریخ تولد",
    "case_number": "شمارهٔ پرونده",
    "case_manager": "مدیر پرونده",
    "organisation": "اداره",
    "version": "نسخه",
    "status": "وضعیت",
    "status_draft": "پیش‌نویس – هنوز توافق نشده",
    "status_agreed": "توافق شده",
    "status_superseded": "با نسخهٔ جدیدتر جایگزین شده",
    "agreed_on": "تاریخ توافق",
    "signed_by_client": "امضا شده توسط مراجعه‌کننده",
    "yes": "بله",
    "no": "خیر",
    "goals": "اهداف",
    "goal": "هدف",
    "field_of_action": "حوزهٔ فعالیت",
    "what": "دقیقاً به چه چیزی می‌خواهیم برسیم؟",
    "indicator": "از کجا می‌فهمیم که به هدف رسیده‌ایم؟",
    "responsible": "چه کسی مسئول است؟",
    "responsible_client": "مراجعه‌کننده",
    "responsible_case_manager": "مدیر پرونده",
    "responsible_organisation": "سازمان",
    "due": "تا چه زمانی؟",
    "measures": "گام‌های توافق‌شده",
    "review": "تاریخ بررسی",
    "next_review": "گفتگوی بعدی برای بررسی مشترک",
    "notes": "توافق‌های دیگر",
    "entered_in_german": (
        "موارد مربوط به هر هدف به زبان آلمانی نوشته شده است. اگر آن‌ها را نمی‌فهمید، لطفاً "
        "بخواهید برایتان ترجمه شود."
    ),
    "signatures": "امضاها",
    "sign_client": "امضای مراجعه‌کننده",
    "sign_case_manager": "امضای مدیر پرونده",
    "place_date": "محل، تاریخ",
    "unverified": "این ترجمه توسط مترجم رسمی تأیید نشده است. متن آلمانی ملاک است.",
    "unverified_short": "ترجمه بررسی نشده",
}

# Dari shares the script and almost all of the wording with Farsi; the few words that differ
# are overridden here (to be confirmed by a translator).
DARI: dict[str, str] = {
    **FARSI,
    "title": "موافقت‌نامهٔ ادغام",
    "version": "نسخه",
    "organisation": "دفتر",
}

UKRAINIAN: dict[str, str] = {
    "title": "Інтеграційна угода",
    "intro": (
        "У цій угоді ми разом фіксуємо, яких цілей ви хочете досягти, як ми зрозуміємо, що ціль "
        "досягнуто, хто що робить і до якого терміну, а також коли ми разом перевіримо, як "
        "просуваються справи."
    ),
    "voluntary": (
        "Участь у кейс-менеджменті є добровільною. Ви можете будь-коли обговорити цю угоду з "
        "нами та змінити її."
    ),
    "client": "Клієнт/клієнтка",
    "born": "дата народження",
    "case_number": "Номер справи",
    "case_manager": "Кейс-менеджер",
    "organisation": "Установа",
    "version": "Редакція",
    "status": "Статус",
    "status_draft": "Проєкт – ще не погоджено",
    "status_agreed": "погоджено",
    "status_superseded": "замінено новішою редакцією",
    "agreed_on": "дата погодження",
    "signed_by_client": "підписано клієнтом/клієнткою",
    "yes": "так",
    "no": "ні",
    "goals": "Цілі",
    "goal": "Ціль",
    "field_of_action": "Сфера діяльності",
    "what": "Чого саме потрібно досягти?",
    "indicator": "Як ми зрозуміємо, що ціль досягнуто?",
    "responsible": "Хто відповідальний?",
    "responsible_client": "клієнт/клієнтка",
    "responsible_case_manager": "кейс-менеджер",
    "responsible_organisation": "установа",
    "due": "До якого терміну?",
    "measures": "Погоджені кроки",
    "review": "Перевірка",
    "next_review": "Наступна спільна зустріч для перевірки",
    "notes": "Інші домовленості",
    "entered_in_german": (
        "Записи щодо окремих цілей зроблено німецькою мовою. Якщо ви їх не розумієте, "
        "попросіть перекласти їх для вас."
    ),
    "signatures": "Підписи",
    "sign_client": "Підпис клієнта/клієнтки",
    "sign_case_manager": "Підпис кейс-менеджера",
    "place_date": "Місце, дата",
    "unverified": (
        "Цей переклад не затверджено сертифікованим перекладачем. Вирішальним є німецький текст."
    ),
    "unverified_short": "Переклад не перевірено",
}

RUSSIAN: dict[str, str] = {
    "title": "Соглашение об интеграции",
    "intro": (
        "В этом соглашении мы вместе фиксируем, каких целей вы хотите достичь, как мы поймём, "
        "что цель достигнута, кто что делает и к какому сроку, а также когда мы вместе "
        "проверим, как идут дела."
    ),
    "voluntary": (
        "Участие в кейс-менеджменте добровольное. Вы можете в любое время обсудить с нами это "
        "соглашение и изменить его."
    ),
    "client": "Клиент/клиентка",
    "born": "дата рождения",
    "case_number": "Номер дела",
    "case_manager": "Кейс-менеджер",
    "organisation": "Учреждение",
    "version": "Редакция",
    "status": "Статус",
    "status_draft": "Проект – ещё не согласовано",
    "status_agreed": "согласовано",
    "status_superseded": "заменено более новой редакцией",
    "agreed_on": "дата согласования",
    "signed_by_client": "подписано клиентом/клиенткой",
    "yes": "да",
    "no": "нет",
    "goals": "Цели",
    "goal": "Цель",
    "field_of_action": "Сфера деятельности",
    "what": "Чего именно нужно достичь?",
    "indicator": "Как мы поймём, что цель достигнута?",
    "responsible": "Кто отвечает?",
    "responsible_client": "клиент/клиентка",
    "responsible_case_manager": "кейс-менеджер",
    "responsible_organisation": "учреждение",
    "due": "К какому сроку?",
    "measures": "Согласованные шаги",
    "review": "Проверка",
    "next_review": "Следующая совместная встреча для проверки",
    "notes": "Другие договорённости",
    "entered_in_german": (
        "Записи по отдельным целям сделаны на немецком языке. Если вы их не понимаете, "
        "попросите перевести их для вас."
    ),
    "signatures": "Подписи",
    "sign_client": "Подпись клиента/клиентки",
    "sign_case_manager": "Подпись кейс-менеджера",
    "place_date": "Место, дата",
    "unverified": (
        "Этот перевод не утверждён сертифицированным переводчиком. Решающим является "
        "немецкий текст."
    ),
    "unverified_short": "Перевод не проверен",
}

TURKISH: dict[str, str] = {
    "title": "Uyum Sözleşmesi",
    "intro": (
        "Bu sözleşmede hangi hedeflere ulaşmak istediğinizi, bir hedefe ulaşıldığını nasıl "
        "anlayacağımızı, kimin neyi ne zamana kadar yapacağını ve ilerlemeyi ne zaman birlikte "
        "gözden geçireceğimizi birlikte kayıt altına alıyoruz."
    ),
    "voluntary": (
        "Vaka yönetimine katılım gönüllüdür. Bu sözleşmeyi istediğiniz zaman bizimle "
        "konuşabilir ve değiştirebilirsiniz."
    ),
    "client": "Danışan",
    "born": "doğum tarihi",
    "case_number": "Dosya numarası",
    "case_manager": "Vaka yöneticisi",
    "organisation": "Kurum",
    "version": "Sürüm",
    "status": "Durum",
    "status_draft": "Taslak – henüz üzerinde anlaşılmadı",
    "status_agreed": "üzerinde anlaşıldı",
    "status_superseded": "daha yeni bir sürümle değiştirildi",
    "agreed_on": "anlaşma tarihi",
    "signed_by_client": "danışan tarafından imzalandı",
    "yes": "evet",
    "no": "hayır",
    "goals": "Hedefler",
    "goal": "Hedef",
    "field_of_action": "Eylem alanı",
    "what": "Tam olarak neye ulaşılmalı?",
    "indicator": "Hedefe ulaşıldığını nasıl anlarız?",
    "responsible": "Kim sorumlu?",
    "responsible_client": "danışan",
    "responsible_case_manager": "vaka yöneticisi",
    "responsible_organisation": "kurum",
    "due": "Ne zamana kadar?",
    "measures": "Kararlaştırılan adımlar",
    "review": "Gözden geçirme",
    "next_review": "Birlikte gözden geçirme için bir sonraki görüşme",
    "notes": "Diğer anlaşmalar",
    "entered_in_german": (
        "Hedeflerle ilgili kayıtlar Almanca yazılmıştır. Anlamadığınız durumda lütfen size "
        "tercüme edilmesini isteyin."
    ),
    "signatures": "İmzalar",
    "sign_client": "Danışanın imzası",
    "sign_case_manager": "Vaka yöneticisinin imzası",
    "place_date": "Yer, tarih",
    "unverified": (
        "Bu çeviri yeminli bir tercüman tarafından onaylanmamıştır. Esas olan Almanca metindir."
    ),
    "unverified_short": "Çeviri kontrol edilmedi",
}

ENGLISH: dict[str, str] = {
    "title": "Integration agreement",
    "intro": (
        "In this agreement we record together which goals you want to reach, how we will know "
        "that a goal has been reached, who does what by when, and when we will review the "
        "progress together."
    ),
    "voluntary": (
        "Taking part in case management is voluntary. You can discuss and change this "
        "agreement with us at any time."
    ),
    "client": "Client",
    "born": "date of birth",
    "case_number": "Case number",
    "case_manager": "Case manager",
    "organisation": "Office",
    "version": "Version",
    "status": "Status",
    "status_draft": "Draft – not yet agreed",
    "status_agreed": "agreed",
    "status_superseded": "replaced by a newer version",
    "agreed_on": "agreed on",
    "signed_by_client": "signed by the client",
    "yes": "yes",
    "no": "no",
    "goals": "Goals",
    "goal": "Goal",
    "field_of_action": "Field of action",
    "what": "What exactly is to be achieved?",
    "indicator": "How will we know that the goal has been reached?",
    "responsible": "Who is responsible?",
    "responsible_client": "client",
    "responsible_case_manager": "case manager",
    "responsible_organisation": "organisation",
    "due": "By when?",
    "measures": "Agreed steps",
    "review": "Review on",
    "next_review": "Next joint review meeting",
    "notes": "Further agreements",
    "entered_in_german": (
        "The entries for each goal are written in German. Please ask for a translation if you "
        "do not understand them."
    ),
    "signatures": "Signatures",
    "sign_client": "Signature of the client",
    "sign_case_manager": "Signature of the case manager",
    "place_date": "Place, date",
    "unverified": (
        "This translation has not been approved by a certified translator. The German text is "
        "authoritative."
    ),
    "unverified_short": "Translation not verified",
}

ROMANIAN: dict[str, str] = {
    "title": "Acord de integrare",
    "intro": (
        "În acest acord stabilim împreună ce obiective doriți să atingeți, cum vom ști că un "
        "obiectiv a fost atins, cine ce face și până când, precum și când vom verifica împreună "
        "progresul."
    ),
    "voluntary": (
        "Participarea la managementul de caz este voluntară. Puteți discuta și modifica oricând "
        "acest acord împreună cu noi."
    ),
    "client": "Client/clientă",
    "born": "data nașterii",
    "case_number": "Număr dosar",
    "case_manager": "Manager de caz",
    "organisation": "Instituție",
    "version": "Versiune",
    "status": "Stare",
    "status_draft": "Proiect – încă neconvenit",
    "status_agreed": "convenit",
    "status_superseded": "înlocuit de o versiune mai nouă",
    "agreed_on": "convenit la data",
    "signed_by_client": "semnat de client/clientă",
    "yes": "da",
    "no": "nu",
    "goals": "Obiective",
    "goal": "Obiectiv",
    "field_of_action": "Domeniu de acțiune",
    "what": "Ce anume trebuie atins?",
    "indicator": "Cum știm că obiectivul a fost atins?",
    "responsible": "Cine este responsabil?",
    "responsible_client": "client/clientă",
    "responsible_case_manager": "manager de caz",
    "responsible_organisation": "instituție",
    "due": "Până când?",
    "measures": "Pași conveniți",
    "review": "Verificare la",
    "next_review": "Următoarea întâlnire comună de verificare",
    "notes": "Alte înțelegeri",
    "entered_in_german": (
        "Înregistrările pentru fiecare obiectiv sunt scrise în limba germană. Vă rugăm să cereți "
        "traducerea lor dacă nu le înțelegeți."
    ),
    "signatures": "Semnături",
    "sign_client": "Semnătura clientului/clientei",
    "sign_case_manager": "Semnătura managerului de caz",
    "place_date": "Locul, data",
    "unverified": (
        "Această traducere nu a fost aprobată de un traducător autorizat. Textul german este "
        "cel decisiv."
    ),
    "unverified_short": "Traducere neverificată",
}

BULGARIAN: dict[str, str] = {
    "title": "Споразумение за интеграция",
    "intro": (
        "В това споразумение заедно записваме какви цели искате да постигнете, как ще разберем, "
        "че дадена цел е постигната, кой какво прави и до кога, както и кога заедно ще проверим "
        "как върви напредъкът."
    ),
    "voluntary": (
        "Участието в кейс мениджмънта е доброволно. Можете по всяко време да обсъдите с нас и "
        "да промените това споразумение."
    ),
    "client": "Клиент/клиентка",
    "born": "дата на раждане",
    "case_number": "Номер на преписката",
    "case_manager": "Кейс мениджър",
    "organisation": "Служба",
    "version": "Версия",
    "status": "Статус",
    "status_draft": "Проект – все още не е договорено",
    "status_agreed": "договорено",
    "status_superseded": "заменено с по-нова версия",
    "agreed_on": "договорено на",
    "signed_by_client": "подписано от клиента/клиентката",
    "yes": "да",
    "no": "не",
    "goals": "Цели",
    "goal": "Цел",
    "field_of_action": "Област на действие",
    "what": "Какво точно трябва да се постигне?",
    "indicator": "Как ще разберем, че целта е постигната?",
    "responsible": "Кой отговаря?",
    "responsible_client": "клиент/клиентка",
    "responsible_case_manager": "кейс мениджър",
    "responsible_organisation": "организация",
    "due": "До кога?",
    "measures": "Договорени стъпки",
    "review": "Проверка на",
    "next_review": "Следваща съвместна среща за проверка",
    "notes": "Други договорености",
    "entered_in_german": (
        "Записите за отделните цели са на немски език. Моля, поискайте да ви бъдат преведени, "
        "ако не ги разбирате."
    ),
    "signatures": "Подписи",
    "sign_client": "Подпис на клиента/клиентката",
    "sign_case_manager": "Подпис на кейс мениджъра",
    "place_date": "Място, дата",
    "unverified": ("Този превод не е одобрен от заклет преводач. Меродавен е немският текст."),
    "unverified_short": "Преводът не е проверен",
}

TIGRINYA: dict[str, str] = {
    "title": "ስምምዕ ምውህሃድ",
    "intro": (
        "ኣብዚ ስምምዕ እዚ ክትበጽሕዎም እትደልዩ ዕላማታት፣ ዕላማ ከም ዝተበጽሐ ብኸመይ ከም እንፈልጥ፣ "
        "መን እንታይ ክሳብ መዓስ ከም ዝገብር፣ ከምኡ'ውን ምዕባለ መዓስ ብሓባር ከም እንግምግም ብሓባር "
        "ንምዝግብ።"
    ),
    "voluntary": ("ተሳትፎ ኣብ ምሕደራ ጉዳይ ብድሌት እዩ። ነዚ ስምምዕ ኣብ ዝኾነ ግዜ ምሳና ክትዛተዩሉን ክትቕይሩዎን ትኽእሉ ኢኹም።"),
    "client": "ተገልጋሊ",
    "born": "ዕለት ልደት",
    "case_number": "ቁጽሪ ፋይል",
    "case_manager": "ኣመሓዳሪ ጉዳይ",
    "organisation": "ቤት ጽሕፈት",
    "version": "ሕታም",
    "status": "ኩነታት",
    "status_draft": "ንድፊ – ገና ኣይተሰማማዕናሉን",
    "status_agreed": "ተሰማሚዕናሉ",
    "status_superseded": "ብሓድሽ ሕታም ተተኪኡ",
    "agreed_on": "ዝተሰማማዕናሉ ዕለት",
    "signed_by_client": "ብተገልጋሊ ተፈሪሙ",
    "yes": "እወ",
    "no": "ኣይፋል",
    "goals": "ዕላማታት",
    "goal": "ዕላማ",
    "field_of_action": "ዓውዲ ስራሕ",
    "what": "ብልክዕ እንታይ ክበጽሕ ኣለዎ?",
    "indicator": "ዕላማ ከም ዝተበጽሐ ብኸመይ ንፈልጥ?",
    "responsible": "መን እዩ ሓላፍነት ዘለዎ?",
    "responsible_client": "ተገልጋሊ",
    "responsible_case_manager": "ኣመሓዳሪ ጉዳይ",
    "responsible_organisation": "ትካል",
    "due": "ክሳብ መዓስ?",
    "measures": "ዝተሰማማዕናሎም ስጉምትታት",
    "review": "ዕለት ግምገማ",
    "next_review": "ዝቕጽል ሓባራዊ ርክብ ንግምገማ",
    "notes": "ካልኦት ስምምዓት",
    "entered_in_german": (
        "ብዛዕባ ነፍሲ ወከፍ ዕላማ ዝተመዝገበ ብጀርመንኛ እዩ ተጻሒፉ። እንተዘይተረዲእኩምዎ፡ በጃኹም ክትርጎመልኩም ሕተቱ።"
    ),
    "signatures": "ፌርማታት",
    "sign_client": "ፌርማ ተገልጋሊ",
    "sign_case_manager": "ፌርማ ኣመሓዳሪ ጉዳይ",
    "place_date": "ቦታ፡ ዕለት",
    "unverified": "እዚ ትርጉም ብዝተረጋገጸ ተርጓማይ ኣይጸደቐን። ወሳኒ ዝኾነ ናይ ጀርመን ጽሑፍ እዩ።",
    "unverified_short": "ትርጉም ኣይተመርመረን",
}


@dataclass(frozen=True)
class DocumentLanguage:
    """A language the agreement can be printed in (besides German).

    ``approved_by``/``approved_on`` record the certified translator's release of exactly these
    texts; change a text and the release has to be given again.
    """

    code: str
    native_name: str
    texts: dict[str, str] = field(repr=False)
    direction: str = "ltr"
    approved_by: str = ""
    approved_on: dt.date | None = None

    @property
    def approved(self) -> bool:
        return bool(self.approved_by and self.approved_on)

    @property
    def rtl(self) -> bool:
        return self.direction == "rtl"


#: German is the source text, so it needs no translator's release.
SOURCE = DocumentLanguage(
    "de", "Deutsch", GERMAN, approved_by="Quelltext", approved_on=dt.date(2026, 1, 1)
)

DOCUMENT_LANGUAGES: dict[str, DocumentLanguage] = {
    language.code: language
    for language in (
        DocumentLanguage("ar", "العربية", ARABIC, direction="rtl"),
        DocumentLanguage("fa", "فارسی", FARSI, direction="rtl"),
        DocumentLanguage("prs", "دری", DARI, direction="rtl"),
        DocumentLanguage("uk", "Українська", UKRAINIAN),
        DocumentLanguage("ru", "Русский", RUSSIAN),
        DocumentLanguage("tr", "Türkçe", TURKISH),
        DocumentLanguage("en", "English", ENGLISH),
        DocumentLanguage("ro", "Română", ROMANIAN),
        DocumentLanguage("bg", "Български", BULGARIAN),
        DocumentLanguage("ti", "ትግርኛ", TIGRINYA),
    )
}


def document_language(code: str) -> DocumentLanguage | None:
    """The client-side language of a bilingual print-out; German alone is ``de``."""
    if code == SOURCE.code:
        return SOURCE
    return DOCUMENT_LANGUAGES.get(code)


def default_language_for(person_languages: list[str], interpreter_language: str = "") -> str:
    """The first language of the person that we can print, else German only."""
    for code in [interpreter_language, *person_languages]:
        if code and code in DOCUMENT_LANGUAGES:
            return code
    return SOURCE.code


#: Fixed texts every bilingual document shares with the agreement (the "unverified" marker and
#: the signature line), so the marker reads the same on every print-out.
SHARED_KEYS = ("unverified", "unverified_short", "place_date")


@dataclass(frozen=True)
class DocumentTexts:
    """The fixed texts of another bilingual document in the agreement's languages.

    ``translations`` maps each code of :data:`DOCUMENT_LANGUAGES` to its texts (the keys of
    ``source``, less :data:`SHARED_KEYS`, which are taken from the agreement's texts);
    ``approvals`` maps a code to the certified translator's release ``(name, date)`` of exactly
    this version. ``version`` is printed on the document and recorded with what was handed out.
    """

    version: str
    source: dict[str, str] = field(repr=False)
    translations: dict[str, dict[str, str]] = field(repr=False)
    approvals: dict[str, tuple[str, dt.date]] = field(default_factory=dict, repr=False)

    def source_language(self) -> DocumentLanguage:
        """German alone (the source text)."""
        found = self.language(SOURCE.code)
        if found is None:  # pragma: no cover - SOURCE is always known
            raise LookupError(SOURCE.code)
        return found

    def language(self, code: str) -> DocumentLanguage | None:
        """German alone for ``de``; ``None`` for a code the agreement cannot be printed in."""
        base = document_language(code)
        if base is None:
            return None
        own = self.source if base is SOURCE else self.translations.get(code)
        if own is None:
            return None
        shared = {key: base.texts[key] for key in SHARED_KEYS}
        if base is SOURCE:
            return DocumentLanguage(
                SOURCE.code,
                SOURCE.native_name,
                {**own, **shared},
                approved_by=SOURCE.approved_by,
                approved_on=SOURCE.approved_on,
            )
        approved_by, approved_on = self.approvals.get(code, ("", None))
        return DocumentLanguage(
            base.code,
            base.native_name,
            {**own, **shared},
            direction=base.direction,
            approved_by=approved_by,
            approved_on=approved_on,
        )
