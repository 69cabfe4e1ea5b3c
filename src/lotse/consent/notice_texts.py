"""The fixed texts of the information sheet under Art. 13 GDPR, per language (translation data).

Every client receives this sheet when data is first collected, in German and in their language
(the languages of the Integrationsvereinbarung). The controller, the data protection officer and
the supervisory authority come from the Träger's :class:`~lotse.consent.models.PrivacyNoticeSettings`
and are printed as entered. ``{years}`` in ``retention`` is the Träger's retention period.

Change a text and raise :data:`NOTICE_TEXT_VERSION`: the version is printed on the sheet and
recorded with each :class:`~lotse.consent.models.InformationNotice`. The translations are not
released by a certified translator (``approvals`` is empty), so the sheet carries the
"unverified translation" marker.
"""

from __future__ import annotations

from lotse.agreements.texts import DocumentTexts

NOTICE_TEXT_VERSION = "DI-2026-1"

GERMAN: dict[str, str] = {
    "title": "Informationsblatt zur Datenverarbeitung nach Art. 13 DSGVO",
    "intro": (
        "Wir verarbeiten Daten über Sie. Hier erfahren Sie, wer dafür verantwortlich ist, wozu "
        "und auf welcher Rechtsgrundlage wir das tun, wie lange wir die Daten speichern und "
        "welche Rechte Sie haben."
    ),
    "controller": "Verantwortliche Stelle",
    "dpo": "Datenschutzbeauftragte/r",
    "purposes_title": "Zweck",
    "purposes": (
        "Wir nutzen Ihre Daten für das Case Management im Kommunalen Integrationsmanagement "
        "(KIM): um Ihre Situation zu klären, mit Ihnen Ziele zu vereinbaren, Sie zu beraten und "
        "an passende Angebote zu vermitteln."
    ),
    "legal_title": "Rechtsgrundlagen",
    "legal": (
        "Art. 6 Abs. 1 Buchst. e DSGVO in Verbindung mit §§ 67a ff. SGB X (Erfüllung einer "
        "öffentlichen Aufgabe); soweit Sie eingewilligt haben, Art. 6 Abs. 1 Buchst. a DSGVO und "
        "für Gesundheitsdaten Art. 9 Abs. 2 Buchst. a DSGVO."
    ),
    "recipients_title": "Empfänger",
    "recipients": (
        "Wir geben Ihre Daten nur weiter, wenn Sie eingewilligt haben oder ein Gesetz es "
        "erlaubt. Jede Übermittlung wird dokumentiert."
    ),
    "retention_title": "Speicherdauer",
    "retention": (
        "Wir speichern Ihre Daten, solange wir Sie begleiten, und löschen sie spätestens {years} "
        "Jahre nach dem Ende der Begleitung, wenn kein Gesetz eine längere Aufbewahrung "
        "vorschreibt."
    ),
    "rights_title": "Ihre Rechte",
    "rights": (
        "Sie haben das Recht auf Auskunft (Art. 15 DSGVO), Berichtigung (Art. 16), Löschung "
        "(Art. 17), Einschränkung der Verarbeitung (Art. 18), Datenübertragbarkeit (Art. 20) und "
        "Widerspruch (Art. 21). Eine Einwilligung können Sie jederzeit mit Wirkung für die "
        "Zukunft widerrufen."
    ),
    "complaint_title": "Beschwerde",
    "complaint": "Sie können sich bei der Datenschutz-Aufsichtsbehörde beschweren:",
    "voluntary_title": "Freiwilligkeit",
    "voluntary": (
        "Die Teilnahme am Case Management ist freiwillig. Wenn Sie nicht teilnehmen oder Angaben "
        "nicht machen, entstehen Ihnen keine Nachteile bei Leistungen, auf die Sie einen "
        "Anspruch haben; wir können Sie dann aber nur eingeschränkt unterstützen."
    ),
    "received": "Ich habe dieses Informationsblatt erhalten.",
    "signature": "Unterschrift",
    "text_version": "Textfassung",
}

ARABIC: dict[str, str] = {
    "title": "نشرة معلومات حول معالجة البيانات وفقًا للمادة 13 من اللائحة العامة لحماية البيانات",
    "intro": (
        "نحن نعالج بيانات عنك. هنا تعرف من المسؤول عن ذلك، ولأي غرض وعلى أي أساس قانوني نقوم "
        "بذلك، وكم من الوقت نحتفظ بالبيانات، وما هي حقوقك."
    ),
    "controller": "الجهة المسؤولة",
    "dpo": "مسؤول/ة حماية البيانات",
    "purposes_title": "الغرض",
    "purposes": (
        "نستخدم بياناتك لإدارة الحالة في إطار إدارة الاندماج البلدية (KIM): لتوضيح وضعك، "
        "والاتفاق معك على أهداف، وتقديم المشورة لك، وإحالتك إلى العروض المناسبة."
    ),
    "legal_title": "الأسس القانونية",
    "legal": (
        "المادة 6 الفقرة 1 البند e من اللائحة العامة لحماية البيانات بالاقتران مع المواد 67a وما "
        "يليها من الكتاب العاشر من قانون الضمان الاجتماعي (SGB X) (أداء مهمة عامة)؛ وبقدر ما "
        "وافقت، المادة 6 الفقرة 1 البند a، وبالنسبة للبيانات الصحية المادة 9 الفقرة 2 البند a."
    ),
    "recipients_title": "الجهات المستلمة",
    "recipients": (
        "لا ننقل بياناتك إلا إذا وافقت على ذلك أو إذا سمح القانون بذلك. يتم توثيق كل عملية نقل."
    ),
    "retention_title": "مدة التخزين",
    "retention": (
        "نحتفظ ببياناتك طوال فترة مرافقتنا لك، ونحذفها في موعد أقصاه {years} سنوات بعد انتهاء "
        "المرافقة، ما لم يفرض القانون مدة حفظ أطول."
    ),
    "rights_title": "حقوقك",
    "rights": (
        "لك الحق في الاطلاع (المادة 15)، والتصحيح (المادة 16)، والحذف (المادة 17)، وتقييد "
        "المعالجة (المادة 18)، ونقل البيانات (المادة 20)، والاعتراض (المادة 21). ويمكنك سحب "
        "أي موافقة في أي وقت بأثر مستقبلي."
    ),
    "complaint_title": "الشكوى",
    "complaint": "يمكنك تقديم شكوى إلى السلطة الرقابية لحماية البيانات:",
    "voluntary_title": "الطوعية",
    "voluntary": (
        "المشاركة في إدارة الحالة طوعية. إذا لم تشارك أو لم تقدّم بعض المعلومات فلن يلحق بك أي "
        "ضرر في الخدمات التي يحق لك الحصول عليها؛ لكن دعمنا لك سيكون عندئذ محدودًا."
    ),
    "received": "لقد استلمت نشرة المعلومات هذه.",
    "signature": "التوقيع",
    "text_version": "نسخة النص",
}

FARSI: dict[str, str] = {
    "title": "برگهٔ اطلاعات دربارهٔ پردازش داده‌ها طبق مادهٔ ۱۳ مقررات عمومی حفاظت از داده‌ها",
    "intro": (
        "ما داده‌هایی دربارهٔ شما پردازش می‌کنیم. در اینجا می‌خوانید چه کسی مسئول است، برای چه "
        "هدفی و بر چه مبنای قانونی این کار را می‌کنیم، داده‌ها را چه مدت نگه می‌داریم و چه "
        "حقوقی دارید."
    ),
    "controller": "ادارهٔ مسئول",
    "dpo": "مسئول حفاظت از داده‌ها",
    "purposes_title": "هدف",
    "purposes": (
        "ما از داده‌های شما برای مدیریت پرونده در چارچوب مدیریت ادغام شهری (KIM) استفاده "
        "می‌کنیم: برای روشن کردن وضعیت شما، توافق بر سر اهداف، مشاوره و معرفی شما به "
        "برنامه‌های مناسب."
    ),
    "legal_title": "مبانی قانونی",
    "legal": (
        "مادهٔ ۶ بند ۱ حرف e مقررات عمومی حفاظت از داده‌ها همراه با مواد 67a به بعد کتاب دهم "
        "قانون اجتماعی (SGB X) (انجام وظیفهٔ عمومی)؛ در صورت رضایت شما، مادهٔ ۶ بند ۱ حرف a و "
        "برای داده‌های سلامت مادهٔ ۹ بند ۲ حرف a."
    ),
    "recipients_title": "گیرندگان",
    "recipients": (
        "ما داده‌های شما را فقط در صورتی منتقل می‌کنیم که رضایت داده باشید یا قانون اجازه دهد. "
        "هر انتقال ثبت می‌شود."
    ),
    "retention_title": "مدت نگهداری",
    "retention": (
        "ما داده‌های شما را تا زمانی که شما را همراهی می‌کنیم نگه می‌داریم و حداکثر {years} سال "
        "پس از پایان همراهی حذف می‌کنیم، مگر اینکه قانون نگهداری طولانی‌تری را الزامی کند."
    ),
    "rights_title": "حقوق شما",
    "rights": (
        "شما حق دسترسی به اطلاعات (مادهٔ ۱۵)، اصلاح (مادهٔ ۱۶)، حذف (مادهٔ ۱۷)، محدودسازی "
        "پردازش (مادهٔ ۱۸)، انتقال‌پذیری داده‌ها (مادهٔ ۲۰) و اعتراض (مادهٔ ۲۱) را دارید. "
        "هر رضایتی را می‌توانید هر زمان برای آینده لغو کنید."
    ),
    "complaint_title": "شکایت",
    "complaint": "شما می‌توانید به مرجع نظارت بر حفاظت از داده‌ها شکایت کنید:",
    "voluntary_title": "داوطلبانه بودن",
    "voluntary": (
        "شرکت در مدیریت پرونده داوطلبانه است. اگر شرکت نکنید یا اطلاعاتی ندهید، در خدماتی که "
        "حق دریافت آن‌ها را دارید ضرری نمی‌بینید؛ اما در این صورت فقط می‌توانیم به‌طور محدود "
        "از شما حمایت کنیم."
    ),
    "received": "این برگهٔ اطلاعات را دریافت کردم.",
    "signature": "امضا",
    "text_version": "نسخهٔ متن",
}

DARI: dict[str, str] = {**FARSI, "controller": "دفتر مسئول"}

UKRAINIAN: dict[str, str] = {
    "title": "Інформаційний лист про обробку даних згідно зі ст. 13 ЗРЗД (GDPR)",
    "intro": (
        "Ми обробляємо дані про вас. Тут ви дізнаєтеся, хто за це відповідає, з якою метою і на "
        "якій правовій підставі ми це робимо, як довго зберігаємо дані і які права ви маєте."
    ),
    "controller": "Відповідальна установа",
    "dpo": "Уповноважений(а) з захисту даних",
    "purposes_title": "Мета",
    "purposes": (
        "Ми використовуємо ваші дані для кейс-менеджменту в межах комунального менеджменту "
        "інтеграції (KIM): щоб з'ясувати вашу ситуацію, погодити з вами цілі, консультувати вас "
        "і скеровувати до відповідних пропозицій."
    ),
    "legal_title": "Правові підстави",
    "legal": (
        "Ст. 6 ч. 1 п. e ЗРЗД у поєднанні з §§ 67a і наст. SGB X (виконання публічного "
        "завдання); якщо ви дали згоду – ст. 6 ч. 1 п. a ЗРЗД, а для даних про здоров'я – "
        "ст. 9 ч. 2 п. a ЗРЗД."
    ),
    "recipients_title": "Одержувачі",
    "recipients": (
        "Ми передаємо ваші дані лише тоді, коли ви дали на це згоду або це дозволяє закон. "
        "Кожна передача документується."
    ),
    "retention_title": "Строк зберігання",
    "retention": (
        "Ми зберігаємо ваші дані, поки супроводжуємо вас, і видаляємо їх не пізніше ніж через "
        "{years} роки(ів) після завершення супроводу, якщо закон не вимагає довшого зберігання."
    ),
    "rights_title": "Ваші права",
    "rights": (
        "Ви маєте право на доступ до інформації (ст. 15 ЗРЗД), виправлення (ст. 16), видалення "
        "(ст. 17), обмеження обробки (ст. 18), перенесення даних (ст. 20) і заперечення "
        "(ст. 21). Згоду ви можете будь-коли відкликати на майбутнє."
    ),
    "complaint_title": "Скарга",
    "complaint": "Ви можете подати скаргу до наглядового органу із захисту даних:",
    "voluntary_title": "Добровільність",
    "voluntary": (
        "Участь у кейс-менеджменті є добровільною. Якщо ви не берете участі або не надаєте "
        "відомостей, це не матиме негативних наслідків щодо допомоги, на яку ви маєте право; "
        "але тоді ми зможемо підтримувати вас лише обмежено."
    ),
    "received": "Я отримав(ла) цей інформаційний лист.",
    "signature": "Підпис",
    "text_version": "Редакція тексту",
}

RUSSIAN: dict[str, str] = {
    "title": "Информационный лист об обработке данных согласно ст. 13 GDPR",
    "intro": (
        "Мы обрабатываем данные о вас. Здесь вы узнаете, кто за это отвечает, с какой целью и "
        "на каком правовом основании мы это делаем, как долго храним данные и какие у вас права."
    ),
    "controller": "Ответственное учреждение",
    "dpo": "Уполномоченный по защите данных",
    "purposes_title": "Цель",
    "purposes": (
        "Мы используем ваши данные для кейс-менеджмента в рамках муниципального управления "
        "интеграцией (KIM): чтобы прояснить вашу ситуацию, согласовать с вами цели, "
        "консультировать вас и направлять к подходящим предложениям."
    ),
    "legal_title": "Правовые основания",
    "legal": (
        "Ст. 6 п. 1 лит. e GDPR в сочетании с §§ 67a и след. SGB X (выполнение публичной "
        "задачи); если вы дали согласие – ст. 6 п. 1 лит. a GDPR, а для данных о здоровье – "
        "ст. 9 п. 2 лит. a GDPR."
    ),
    "recipients_title": "Получатели",
    "recipients": (
        "Мы передаём ваши данные только с вашего согласия или если это разрешает закон. Каждая "
        "передача документируется."
    ),
    "retention_title": "Срок хранения",
    "retention": (
        "Мы храним ваши данные, пока сопровождаем вас, и удаляем их не позднее чем через "
        "{years} года/лет после окончания сопровождения, если закон не требует более долгого "
        "хранения."
    ),
    "rights_title": "Ваши права",
    "rights": (
        "Вы имеете право на получение информации (ст. 15 GDPR), исправление (ст. 16), удаление "
        "(ст. 17), ограничение обработки (ст. 18), переносимость данных (ст. 20) и возражение "
        "(ст. 21). Согласие вы можете в любое время отозвать на будущее."
    ),
    "complaint_title": "Жалоба",
    "complaint": "Вы можете подать жалобу в надзорный орган по защите данных:",
    "voluntary_title": "Добровольность",
    "voluntary": (
        "Участие в кейс-менеджменте добровольное. Если вы не участвуете или не сообщаете "
        "сведения, это не повлечёт негативных последствий в отношении пособий, на которые вы "
        "имеете право; но тогда мы сможем поддерживать вас лишь ограниченно."
    ),
    "received": "Я получил(а) этот информационный лист.",
    "signature": "Подпись",
    "text_version": "Редакция текста",
}

TURKISH: dict[str, str] = {
    "title": "GVKY (DSGVO) Madde 13 uyarınca veri işleme hakkında bilgilendirme",
    "intro": (
        "Sizinle ilgili verileri işliyoruz. Burada bundan kimin sorumlu olduğunu, bunu hangi "
        "amaçla ve hangi hukuki dayanakla yaptığımızı, verileri ne kadar süre sakladığımızı ve "
        "hangi haklara sahip olduğunuzu öğrenirsiniz."
    ),
    "controller": "Sorumlu kurum",
    "dpo": "Veri koruma görevlisi",
    "purposes_title": "Amaç",
    "purposes": (
        "Verilerinizi Belediye Uyum Yönetimi (KIM) kapsamındaki vaka yönetimi için kullanıyoruz: "
        "durumunuzu netleştirmek, sizinle hedefler belirlemek, size danışmanlık yapmak ve sizi "
        "uygun hizmetlere yönlendirmek için."
    ),
    "legal_title": "Hukuki dayanaklar",
    "legal": (
        "GVKY Madde 6 fıkra 1 bent e ile bağlantılı olarak SGB X § 67a vd. (kamusal bir görevin "
        "yerine getirilmesi); onay verdiğiniz ölçüde GVKY Madde 6 fıkra 1 bent a ve sağlık "
        "verileri için Madde 9 fıkra 2 bent a."
    ),
    "recipients_title": "Alıcılar",
    "recipients": (
        "Verilerinizi yalnızca onay vermişseniz veya bir yasa izin veriyorsa aktarırız. Her "
        "aktarım belgelenir."
    ),
    "retention_title": "Saklama süresi",
    "retention": (
        "Verilerinizi size eşlik ettiğimiz sürece saklarız ve bir yasa daha uzun saklamayı "
        "öngörmüyorsa, eşlik etmenin sona ermesinden en geç {years} yıl sonra sileriz."
    ),
    "rights_title": "Haklarınız",
    "rights": (
        "Bilgi alma (Madde 15), düzeltme (Madde 16), silme (Madde 17), işlemenin kısıtlanması "
        "(Madde 18), veri taşınabilirliği (Madde 20) ve itiraz (Madde 21) hakkına sahipsiniz. "
        "Bir onayı istediğiniz zaman ileriye dönük olarak geri alabilirsiniz."
    ),
    "complaint_title": "Şikâyet",
    "complaint": "Veri koruma denetim makamına şikâyette bulunabilirsiniz:",
    "voluntary_title": "Gönüllülük",
    "voluntary": (
        "Vaka yönetimine katılım gönüllüdür. Katılmazsanız veya bilgi vermezseniz, hak sahibi "
        "olduğunuz yardımlar bakımından hiçbir dezavantaj yaşamazsınız; ancak bu durumda size "
        "yalnızca sınırlı destek verebiliriz."
    ),
    "received": "Bu bilgilendirme formunu aldım.",
    "signature": "İmza",
    "text_version": "Metin sürümü",
}

ENGLISH: dict[str, str] = {
    "title": "Information sheet on data processing under Art. 13 GDPR",
    "intro": (
        "We process data about you. Here you learn who is responsible for it, for what purpose "
        "and on what legal basis we do it, how long we keep the data and which rights you have."
    ),
    "controller": "Controller",
    "dpo": "Data protection officer",
    "purposes_title": "Purpose",
    "purposes": (
        "We use your data for case management in municipal integration management (KIM): to "
        "clarify your situation, agree goals with you, advise you and refer you to suitable "
        "offers."
    ),
    "legal_title": "Legal bases",
    "legal": (
        "Art. 6(1)(e) GDPR in conjunction with §§ 67a et seq. SGB X (performance of a public "
        "task); where you have consented, Art. 6(1)(a) GDPR and, for health data, "
        "Art. 9(2)(a) GDPR."
    ),
    "recipients_title": "Recipients",
    "recipients": (
        "We pass on your data only if you have consented or a law allows it. Every transfer is "
        "recorded."
    ),
    "retention_title": "Storage period",
    "retention": (
        "We keep your data while we support you and delete it at the latest {years} years after "
        "the support has ended, unless a law requires longer storage."
    ),
    "rights_title": "Your rights",
    "rights": (
        "You have the right of access (Art. 15 GDPR), rectification (Art. 16), erasure "
        "(Art. 17), restriction of processing (Art. 18), data portability (Art. 20) and to "
        "object (Art. 21). You can withdraw a consent at any time with effect for the future."
    ),
    "complaint_title": "Complaint",
    "complaint": "You can complain to the data protection supervisory authority:",
    "voluntary_title": "Voluntariness",
    "voluntary": (
        "Taking part in case management is voluntary. If you do not take part or do not give "
        "some information, you suffer no disadvantage in benefits you are entitled to; we can "
        "then support you only to a limited extent."
    ),
    "received": "I have received this information sheet.",
    "signature": "Signature",
    "text_version": "Text version",
}

ROMANIAN: dict[str, str] = {
    "title": "Notă de informare privind prelucrarea datelor conform art. 13 RGPD",
    "intro": (
        "Prelucrăm date despre dumneavoastră. Aici aflați cine este responsabil, în ce scop și "
        "pe ce temei juridic facem acest lucru, cât timp păstrăm datele și ce drepturi aveți."
    ),
    "controller": "Instituția responsabilă",
    "dpo": "Responsabilul cu protecția datelor",
    "purposes_title": "Scop",
    "purposes": (
        "Folosim datele dumneavoastră pentru managementul de caz în cadrul managementului "
        "municipal al integrării (KIM): pentru a vă clarifica situația, a stabili împreună "
        "obiective, a vă consilia și a vă îndruma către oferte potrivite."
    ),
    "legal_title": "Temeiuri juridice",
    "legal": (
        "Art. 6 alin. (1) lit. e RGPD coroborat cu §§ 67a și urm. SGB X (îndeplinirea unei "
        "sarcini publice); în măsura în care v-ați dat consimțământul, art. 6 alin. (1) lit. a "
        "RGPD și, pentru datele privind sănătatea, art. 9 alin. (2) lit. a RGPD."
    ),
    "recipients_title": "Destinatari",
    "recipients": (
        "Transmitem datele dumneavoastră numai dacă v-ați dat consimțământul sau dacă legea o "
        "permite. Fiecare transmitere este documentată."
    ),
    "retention_title": "Durata stocării",
    "retention": (
        "Păstrăm datele dumneavoastră cât timp vă însoțim și le ștergem cel târziu la {years} "
        "ani după încheierea însoțirii, dacă legea nu impune o păstrare mai lungă."
    ),
    "rights_title": "Drepturile dumneavoastră",
    "rights": (
        "Aveți dreptul de acces (art. 15 RGPD), la rectificare (art. 16), la ștergere "
        "(art. 17), la restricționarea prelucrării (art. 18), la portabilitatea datelor "
        "(art. 20) și la opoziție (art. 21). Vă puteți revoca oricând consimțământul pentru "
        "viitor."
    ),
    "complaint_title": "Plângere",
    "complaint": "Puteți depune o plângere la autoritatea de supraveghere a protecției datelor:",
    "voluntary_title": "Caracter voluntar",
    "voluntary": (
        "Participarea la managementul de caz este voluntară. Dacă nu participați sau nu "
        "furnizați unele informații, nu aveți niciun dezavantaj în privința prestațiilor la care "
        "aveți dreptul; însă atunci vă putem sprijini doar în mod limitat."
    ),
    "received": "Am primit această notă de informare.",
    "signature": "Semnătura",
    "text_version": "Versiunea textului",
}

BULGARIAN: dict[str, str] = {
    "title": "Информационен лист за обработването на данни съгласно чл. 13 ОРЗД",
    "intro": (
        "Ние обработваме данни за вас. Тук ще научите кой отговаря за това, за каква цел и на "
        "какво правно основание го правим, колко дълго съхраняваме данните и какви права имате."
    ),
    "controller": "Отговорна служба",
    "dpo": "Длъжностно лице по защита на данните",
    "purposes_title": "Цел",
    "purposes": (
        "Използваме вашите данни за кейс мениджмънт в рамките на общинското управление на "
        "интеграцията (KIM): за да изясним положението ви, да договорим цели с вас, да ви "
        "консултираме и да ви насочим към подходящи предложения."
    ),
    "legal_title": "Правни основания",
    "legal": (
        "Чл. 6, пар. 1, буква д) ОРЗД във връзка с §§ 67a и сл. SGB X (изпълнение на публична "
        "задача); доколкото сте дали съгласие – чл. 6, пар. 1, буква а) ОРЗД, а за данни за "
        "здравето – чл. 9, пар. 2, буква а) ОРЗД."
    ),
    "recipients_title": "Получатели",
    "recipients": (
        "Предаваме вашите данни само ако сте дали съгласие или законът го позволява. Всяко "
        "предаване се документира."
    ),
    "retention_title": "Срок на съхранение",
    "retention": (
        "Съхраняваме вашите данни, докато ви придружаваме, и ги изтриваме най-късно {years} "
        "години след края на придружаването, освен ако законът не изисква по-дълго съхранение."
    ),
    "rights_title": "Вашите права",
    "rights": (
        "Имате право на достъп (чл. 15 ОРЗД), коригиране (чл. 16), изтриване (чл. 17), "
        "ограничаване на обработването (чл. 18), преносимост на данните (чл. 20) и възражение "
        "(чл. 21). Можете по всяко време да оттеглите съгласие за в бъдеще."
    ),
    "complaint_title": "Жалба",
    "complaint": "Можете да подадете жалба до надзорния орган по защита на данните:",
    "voluntary_title": "Доброволност",
    "voluntary": (
        "Участието в кейс мениджмънта е доброволно. Ако не участвате или не предоставите "
        "сведения, това няма да ви навреди по отношение на помощите, на които имате право; "
        "но тогава можем да ви подкрепим само ограничено."
    ),
    "received": "Получих този информационен лист.",
    "signature": "Подпис",
    "text_version": "Версия на текста",
}

TIGRINYA: dict[str, str] = {
    "title": "ወረቐት ሓበሬታ ብዛዕባ ኣተሓሕዛ ሓበሬታ ብመሰረት ዓንቀጽ 13 GDPR",
    "intro": (
        "ብዛዕባኹም ዘሎ ሓበሬታ ንሕዝ ኢና። ኣብዚ መን ሓላፍነት ከም ዘለዎ፡ ንምንታይ ዕላማን ብኣየናይ ሕጋዊ "
        "መሰረትን ከም እንገብሮ፡ ሓበሬታ ክንደይ ግዜ ከም እንዕቅቦን እንታይ መሰላት ከም ዘለኩምን ትፈልጡ።"
    ),
    "controller": "ሓላፍነት ዘለዎ ቤት ጽሕፈት",
    "dpo": "ሓላፊ ምክልኻል ሓበሬታ",
    "purposes_title": "ዕላማ",
    "purposes": (
        "ሓበሬታኹም ንምሕደራ ጉዳይ ኣብ ዞባዊ ምሕደራ ምውህሃድ (KIM) ንጥቀመሉ፡ ኩነታትኩም ንምብራህ፡ ምሳኹም "
        "ዕላማታት ንምስምማዕ፡ ንምምኻርን ናብ ዝሰማምዑ ኣገልግሎታት ንምምራሕን።"
    ),
    "legal_title": "ሕጋዊ መሰረታት",
    "legal": (
        "ዓንቀጽ 6(1)(e) GDPR ምስ §§ 67a ff. SGB X (ምፍጻም ህዝባዊ ዕማም)፤ ፍቓድ እንተሂብኩም ዓንቀጽ "
        "6(1)(a) GDPR፡ ንሓበሬታ ጥዕና ድማ ዓንቀጽ 9(2)(a) GDPR።"
    ),
    "recipients_title": "ተቐበልቲ",
    "recipients": "ሓበሬታኹም ፍቓድ እንተሂብኩም ወይ ሕጊ እንተፍቂዱ ጥራይ ነመሓላልፎ። ነፍሲ ወከፍ ምትሕልላፍ ይምዝገብ።",
    "retention_title": "ግዜ ዕቃበ",
    "retention": (
        "ሓበሬታኹም ክሳብ ዝሓገዝናኩም ንዕቅቦ፡ ሕጊ ዝነውሐ ዕቃበ እንተዘይጠሊቡ ድማ ድሕሪ ምውዳእ ሓገዝ ኣብ ውሽጢ {years} ዓመት ንድምስሶ።"
    ),
    "rights_title": "መሰላትኩም",
    "rights": (
        "መሰል ሓበሬታ ምርካብ (ዓንቀጽ 15)፡ ምእራም (ዓንቀጽ 16)፡ ምድምሳስ (ዓንቀጽ 17)፡ ምግዳብ ኣተሓሕዛ "
        "(ዓንቀጽ 18)፡ ምትሕልላፍ ሓበሬታ (ዓንቀጽ 20)ን ተቓውሞ (ዓንቀጽ 21)ን ኣለኩም። ዝኾነ ፍቓድ ኣብ "
        "ዝኾነ ግዜ ንመጻኢ ክትስሕብዎ ትኽእሉ።"
    ),
    "complaint_title": "ጥርዓን",
    "complaint": "ናብ ተቖጻጻሪ ኣካል ምክልኻል ሓበሬታ ክትጠርዑ ትኽእሉ፦",
    "voluntary_title": "ብድሌት",
    "voluntary": (
        "ተሳትፎ ኣብ ምሕደራ ጉዳይ ብድሌት እዩ። እንተዘይተሳቲፍኩም ወይ ሓበሬታ እንተዘይሂብኩም፡ ኣብቲ መሰል "
        "ዘለኩም ሓገዛት ጉድኣት የብሉን፤ ግን ሽዑ ብውሱን ጥራይ ክንሕግዘኩም ንኽእል።"
    ),
    "received": "ነዚ ወረቐት ሓበሬታ ተቐቢለዮ ኣለኹ።",
    "signature": "ፌርማ",
    "text_version": "ሕታም ጽሑፍ",
}

NOTICE_TEXTS = DocumentTexts(
    version=NOTICE_TEXT_VERSION,
    source=GERMAN,
    translations={
        "ar": ARABIC,
        "fa": FARSI,
        "prs": DARI,
        "uk": UKRAINIAN,
        "ru": RUSSIAN,
        "tr": TURKISH,
        "en": ENGLISH,
        "ro": ROMANIAN,
        "bg": BULGARIAN,
        "ti": TIGRINYA,
    },
)
