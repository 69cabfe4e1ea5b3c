"""The fixed texts of the printed consent form, per language, as translation data.

The consent form is printed in German and in the language of the consent (the same languages as
the Integrationsvereinbarung: :data:`lotse.agreements.texts.DOCUMENT_LANGUAGES`). Only fixed
labels and sentences are translated; the purpose is printed as the staff entered it (German), and
the form says in the client's language that it was explained to them. None of these translations
has been released by a certified translator yet, so each print-out carries the "unverified
translation" marker of the agreements (``approvals`` stays empty until a release is recorded).

Change a text and raise :data:`CONSENT_TEXT_VERSION`; the version is printed on the form and
recorded with the consent. ``tests/consent/test_texts.py`` fails on a missing or empty key.
"""

from __future__ import annotations

from lotse.agreements.texts import DocumentTexts

CONSENT_TEXT_VERSION = "EW-2026-1"

GERMAN: dict[str, str] = {
    "title": "Einwilligung in die Übermittlung von Sozialdaten",
    "subtitle": "Schweigepflichtsentbindung",
    "document_id": "Dokument-ID",
    "text_version": "Textfassung",
    "person": "Betroffene Person",
    "born": "geboren am",
    "controller": "Verantwortliche Stelle",
    "declaration": (
        "Ich willige ein, dass die verantwortliche Stelle die unten genannten Daten über mich an "
        "die unten genannten Empfänger übermittelt und mit ihnen austauscht – nur für den unten "
        "genannten Zweck."
    ),
    "recipients": "Empfänger",
    "categories": "Daten",
    "purpose": "Zweck",
    "purpose_explained": (
        "Der Zweck ist auf Deutsch festgehalten. Die Dolmetscherin / der Dolmetscher hat ihn mir "
        "in meiner Sprache erklärt."
    ),
    "purpose_translate": (
        "Der Zweck ist auf Deutsch festgehalten. Bitte lassen Sie ihn sich übersetzen, wenn Sie "
        "ihn nicht verstehen."
    ),
    "validity": "Gültigkeit",
    "until_withdrawn": "bis auf Widerruf",
    "voluntary_title": "Freiwilligkeit",
    "voluntary": (
        "Die Einwilligung ist freiwillig. Wenn Sie nicht einwilligen oder später widerrufen, "
        "entstehen Ihnen daraus keine Nachteile, insbesondere nicht bei Leistungen, auf die Sie "
        "einen Anspruch haben."
    ),
    "withdrawal_title": "Widerruf",
    "withdrawal": (
        "Sie können die Einwilligung jederzeit ganz oder teilweise widerrufen, ohne Angabe von "
        "Gründen – mündlich oder schriftlich bei der verantwortlichen Stelle; nennen Sie dabei "
        "bitte die Dokument-ID. Der Widerruf gilt ab diesem Zeitpunkt; Übermittlungen davor "
        "bleiben rechtmäßig."
    ),
    "interpreter": "Dolmetscher/in",
    "signatures": "Unterschriften",
    "sign_person": "Unterschrift der betroffenen Person",
    "sign_interpreter": "Unterschrift Dolmetscher/in",
    "cat_identity": "Identität",
    "cat_residence_status": "Aufenthaltsstatus",
    "cat_education_work": "Bildung und Arbeit",
    "cat_benefits": "Leistungsbezug",
    "cat_family": "Familie",
    "cat_health": "Gesundheit",
    "cat_youth_welfare": "Daten des Jugendamts",
}

ARABIC: dict[str, str] = {
    "title": "الموافقة على نقل البيانات الاجتماعية",
    "subtitle": "الإعفاء من واجب السرية",
    "document_id": "رقم الوثيقة",
    "text_version": "نسخة النص",
    "person": "الشخص المعني",
    "born": "تاريخ الميلاد",
    "controller": "الجهة المسؤولة",
    "declaration": (
        "أوافق على أن تنقل الجهة المسؤولة البيانات المذكورة أدناه عني إلى الجهات المستلمة "
        "المذكورة أدناه وأن تتبادلها معها – فقط للغرض المذكور أدناه."
    ),
    "recipients": "الجهات المستلمة",
    "categories": "البيانات",
    "purpose": "الغرض",
    "purpose_explained": "الغرض مكتوب باللغة الألمانية. وقد شرحه لي المترجم/ة الشفهي/ة بلغتي.",
    "purpose_translate": "الغرض مكتوب باللغة الألمانية. يرجى طلب ترجمته إذا لم تفهمه.",
    "validity": "مدة الصلاحية",
    "until_withdrawn": "حتى سحب الموافقة",
    "voluntary_title": "الطوعية",
    "voluntary": (
        "الموافقة طوعية. إذا لم توافق أو سحبت موافقتك لاحقًا فلن يلحق بك أي ضرر، ولا سيما "
        "في الخدمات التي يحق لك الحصول عليها."
    ),
    "withdrawal_title": "سحب الموافقة",
    "withdrawal": (
        "يمكنك سحب الموافقة كليًا أو جزئيًا في أي وقت ودون ذكر الأسباب – شفهيًا أو كتابيًا لدى "
        "الجهة المسؤولة؛ يرجى ذكر رقم الوثيقة. يسري السحب من تلك اللحظة؛ وتبقى عمليات النقل "
        "التي تمت قبله قانونية."
    ),
    "interpreter": "المترجم/ة الشفهي/ة",
    "signatures": "التوقيعات",
    "sign_person": "توقيع الشخص المعني",
    "sign_interpreter": "توقيع المترجم/ة الشفهي/ة",
    "cat_identity": "الهوية",
    "cat_residence_status": "وضع الإقامة",
    "cat_education_work": "التعليم والعمل",
    "cat_benefits": "الإعانات الاجتماعية",
    "cat_family": "الأسرة",
    "cat_health": "الصحة",
    "cat_youth_welfare": "بيانات مكتب رعاية الشباب",
}

FARSI: dict[str, str] = {
    "title": "رضایت‌نامه برای انتقال داده‌های اجتماعی",
    "subtitle": "معافیت از وظیفهٔ رازداری",
    "document_id": "شناسهٔ سند",
    "text_version": "نسخهٔ متن",
    "person": "شخص مربوطه",
    "born": "تاریخ تولد",
    "controller": "ادارهٔ مسئول",
    "declaration": (
        "موافقم که ادارهٔ مسئول داده‌های ذکرشده در زیر را دربارهٔ من به گیرندگان ذکرشده در زیر "
        "منتقل کند و با آن‌ها مبادله کند – فقط برای هدفی که در زیر ذکر شده است."
    ),
    "recipients": "گیرندگان",
    "categories": "داده‌ها",
    "purpose": "هدف",
    "purpose_explained": "هدف به زبان آلمانی نوشته شده است. مترجم شفاهی آن را به زبان من توضیح داده است.",
    "purpose_translate": "هدف به زبان آلمانی نوشته شده است. اگر آن را نمی‌فهمید، لطفاً بخواهید ترجمه شود.",
    "validity": "مدت اعتبار",
    "until_withdrawn": "تا زمان لغو",
    "voluntary_title": "داوطلبانه بودن",
    "voluntary": (
        "این رضایت داوطلبانه است. اگر رضایت ندهید یا بعداً آن را لغو کنید، هیچ ضرری برای شما "
        "ندارد، به‌ویژه در خدماتی که حق دریافت آن‌ها را دارید."
    ),
    "withdrawal_title": "لغو رضایت",
    "withdrawal": (
        "شما می‌توانید هر زمان و بدون ذکر دلیل رضایت خود را به‌طور کامل یا بخشی از آن را لغو "
        "کنید – به‌صورت شفاهی یا کتبی نزد ادارهٔ مسئول؛ لطفاً شناسهٔ سند را ذکر کنید. لغو از همان "
        "لحظه معتبر است؛ انتقال‌های پیش از آن قانونی باقی می‌مانند."
    ),
    "interpreter": "مترجم شفاهی",
    "signatures": "امضاها",
    "sign_person": "امضای شخص مربوطه",
    "sign_interpreter": "امضای مترجم شفاهی",
    "cat_identity": "هویت",
    "cat_residence_status": "وضعیت اقامت",
    "cat_education_work": "تحصیل و کار",
    "cat_benefits": "دریافت کمک‌های اجتماعی",
    "cat_family": "خانواده",
    "cat_health": "سلامت",
    "cat_youth_welfare": "داده‌های ادارهٔ رفاه جوانان",
}

# Dari shares the script and almost all of the wording with Farsi (to be confirmed by a
# translator, like the agreement's Dari texts).
DARI: dict[str, str] = {**FARSI, "controller": "دفتر مسئول"}

UKRAINIAN: dict[str, str] = {
    "title": "Згода на передачу соціальних даних",
    "subtitle": "Звільнення від обов'язку збереження таємниці",
    "document_id": "Ідентифікатор документа",
    "text_version": "Редакція тексту",
    "person": "Особа, якої стосуються дані",
    "born": "дата народження",
    "controller": "Відповідальна установа",
    "declaration": (
        "Я погоджуюся, що відповідальна установа передає зазначені нижче дані про мене "
        "зазначеним нижче одержувачам і обмінюється ними з ними – лише для зазначеної нижче мети."
    ),
    "recipients": "Одержувачі",
    "categories": "Дані",
    "purpose": "Мета",
    "purpose_explained": (
        "Мету записано німецькою мовою. Усний перекладач / усна перекладачка пояснив(ла) її мені "
        "моєю мовою."
    ),
    "purpose_translate": (
        "Мету записано німецькою мовою. Якщо ви її не розумієте, попросіть перекласти її для вас."
    ),
    "validity": "Строк дії",
    "until_withdrawn": "до відкликання",
    "voluntary_title": "Добровільність",
    "voluntary": (
        "Згода є добровільною. Якщо ви не погодитеся або пізніше відкличете згоду, це не матиме "
        "для вас жодних негативних наслідків, зокрема щодо допомоги, на яку ви маєте право."
    ),
    "withdrawal_title": "Відкликання",
    "withdrawal": (
        "Ви можете будь-коли повністю або частково відкликати згоду без пояснення причин – усно "
        "або письмово у відповідальній установі; будь ласка, назвіть ідентифікатор документа. "
        "Відкликання діє з цього моменту; попередні передачі залишаються законними."
    ),
    "interpreter": "Усний перекладач / усна перекладачка",
    "signatures": "Підписи",
    "sign_person": "Підпис особи, якої стосуються дані",
    "sign_interpreter": "Підпис усного перекладача / усної перекладачки",
    "cat_identity": "Особа",
    "cat_residence_status": "Статус перебування",
    "cat_education_work": "Освіта і робота",
    "cat_benefits": "Отримання соціальної допомоги",
    "cat_family": "Сім'я",
    "cat_health": "Здоров'я",
    "cat_youth_welfare": "Дані служби у справах молоді",
}

RUSSIAN: dict[str, str] = {
    "title": "Согласие на передачу социальных данных",
    "subtitle": "Освобождение от обязанности хранить тайну",
    "document_id": "Идентификатор документа",
    "text_version": "Редакция текста",
    "person": "Лицо, к которому относятся данные",
    "born": "дата рождения",
    "controller": "Ответственное учреждение",
    "declaration": (
        "Я согласен/согласна, чтобы ответственное учреждение передавало указанные ниже данные "
        "обо мне указанным ниже получателям и обменивалось ими с ними – только для указанной "
        "ниже цели."
    ),
    "recipients": "Получатели",
    "categories": "Данные",
    "purpose": "Цель",
    "purpose_explained": (
        "Цель записана на немецком языке. Устный переводчик / устная переводчица объяснил(а) её "
        "мне на моём языке."
    ),
    "purpose_translate": (
        "Цель записана на немецком языке. Если вы её не понимаете, попросите перевести её для вас."
    ),
    "validity": "Срок действия",
    "until_withdrawn": "до отзыва",
    "voluntary_title": "Добровольность",
    "voluntary": (
        "Согласие является добровольным. Если вы не дадите согласие или позже отзовёте его, это "
        "не повлечёт для вас никаких негативных последствий, в частности в отношении пособий, "
        "на которые вы имеете право."
    ),
    "withdrawal_title": "Отзыв",
    "withdrawal": (
        "Вы можете в любое время полностью или частично отозвать согласие без объяснения "
        "причин – устно или письменно в ответственном учреждении; пожалуйста, назовите "
        "идентификатор документа. Отзыв действует с этого момента; предыдущие передачи "
        "остаются законными."
    ),
    "interpreter": "Устный переводчик / устная переводчица",
    "signatures": "Подписи",
    "sign_person": "Подпись лица, к которому относятся данные",
    "sign_interpreter": "Подпись устного переводчика / устной переводчицы",
    "cat_identity": "Личность",
    "cat_residence_status": "Статус пребывания",
    "cat_education_work": "Образование и работа",
    "cat_benefits": "Получение социальных пособий",
    "cat_family": "Семья",
    "cat_health": "Здоровье",
    "cat_youth_welfare": "Данные ведомства по делам молодёжи",
}

TURKISH: dict[str, str] = {
    "title": "Sosyal verilerin aktarılmasına ilişkin onay",
    "subtitle": "Sır saklama yükümlülüğünden muafiyet",
    "document_id": "Belge numarası",
    "text_version": "Metin sürümü",
    "person": "İlgili kişi",
    "born": "doğum tarihi",
    "controller": "Sorumlu kurum",
    "declaration": (
        "Sorumlu kurumun, aşağıda belirtilen verilerimi aşağıda belirtilen alıcılara "
        "aktarmasına ve onlarla paylaşmasına onay veriyorum – yalnızca aşağıda belirtilen amaç "
        "için."
    ),
    "recipients": "Alıcılar",
    "categories": "Veriler",
    "purpose": "Amaç",
    "purpose_explained": "Amaç Almanca yazılmıştır. Tercüman bunu bana kendi dilimde açıkladı.",
    "purpose_translate": (
        "Amaç Almanca yazılmıştır. Anlamadığınız durumda lütfen size tercüme edilmesini isteyin."
    ),
    "validity": "Geçerlilik",
    "until_withdrawn": "geri alınana kadar",
    "voluntary_title": "Gönüllülük",
    "voluntary": (
        "Onay gönüllüdür. Onay vermezseniz veya daha sonra geri alırsanız, özellikle hak "
        "sahibi olduğunuz yardımlar bakımından hiçbir dezavantaj yaşamazsınız."
    ),
    "withdrawal_title": "Geri alma",
    "withdrawal": (
        "Onayınızı istediğiniz zaman, gerekçe göstermeden tamamen veya kısmen geri "
        "alabilirsiniz – sorumlu kuruma sözlü veya yazılı olarak; lütfen belge numarasını "
        "belirtin. Geri alma o andan itibaren geçerlidir; önceki aktarımlar hukuka uygun kalır."
    ),
    "interpreter": "Tercüman",
    "signatures": "İmzalar",
    "sign_person": "İlgili kişinin imzası",
    "sign_interpreter": "Tercümanın imzası",
    "cat_identity": "Kimlik",
    "cat_residence_status": "Oturum durumu",
    "cat_education_work": "Eğitim ve iş",
    "cat_benefits": "Sosyal yardım alımı",
    "cat_family": "Aile",
    "cat_health": "Sağlık",
    "cat_youth_welfare": "Gençlik Dairesi verileri",
}

ENGLISH: dict[str, str] = {
    "title": "Consent to the transfer of social data",
    "subtitle": "Release from the duty of confidentiality",
    "document_id": "Document ID",
    "text_version": "Text version",
    "person": "Data subject",
    "born": "date of birth",
    "controller": "Controller",
    "declaration": (
        "I consent that the controller passes the data named below about me to the recipients "
        "named below and exchanges it with them – only for the purpose named below."
    ),
    "recipients": "Recipients",
    "categories": "Data",
    "purpose": "Purpose",
    "purpose_explained": (
        "The purpose is written in German. The interpreter has explained it to me in my language."
    ),
    "purpose_translate": (
        "The purpose is written in German. Please ask for a translation if you do not "
        "understand it."
    ),
    "validity": "Validity",
    "until_withdrawn": "until withdrawn",
    "voluntary_title": "Voluntariness",
    "voluntary": (
        "The consent is voluntary. If you do not consent or withdraw it later, you suffer no "
        "disadvantage, in particular not in benefits you are entitled to."
    ),
    "withdrawal_title": "Withdrawal",
    "withdrawal": (
        "You can withdraw the consent in full or in part at any time, without giving reasons – "
        "orally or in writing to the controller; please state the document ID. The withdrawal "
        "applies from that moment; transfers before it remain lawful."
    ),
    "interpreter": "Interpreter",
    "signatures": "Signatures",
    "sign_person": "Signature of the data subject",
    "sign_interpreter": "Signature of the interpreter",
    "cat_identity": "Identity",
    "cat_residence_status": "Residence status",
    "cat_education_work": "Education and work",
    "cat_benefits": "Benefits",
    "cat_family": "Family",
    "cat_health": "Health",
    "cat_youth_welfare": "Youth welfare office (Jugendamt) data",
}

ROMANIAN: dict[str, str] = {
    "title": "Consimțământ pentru transmiterea datelor sociale",
    "subtitle": "Scutire de obligația de confidențialitate",
    "document_id": "ID document",
    "text_version": "Versiunea textului",
    "person": "Persoana vizată",
    "born": "data nașterii",
    "controller": "Instituția responsabilă",
    "declaration": (
        "Sunt de acord ca instituția responsabilă să transmită datele mele menționate mai jos "
        "destinatarilor menționați mai jos și să le schimbe cu aceștia – numai în scopul "
        "menționat mai jos."
    ),
    "recipients": "Destinatari",
    "categories": "Date",
    "purpose": "Scop",
    "purpose_explained": (
        "Scopul este consemnat în limba germană. Interpretul / interpreta mi l-a explicat în "
        "limba mea."
    ),
    "purpose_translate": (
        "Scopul este consemnat în limba germană. Vă rugăm să cereți traducerea lui dacă nu îl "
        "înțelegeți."
    ),
    "validity": "Valabilitate",
    "until_withdrawn": "până la revocare",
    "voluntary_title": "Caracter voluntar",
    "voluntary": (
        "Consimțământul este voluntar. Dacă nu vă dați consimțământul sau îl revocați mai "
        "târziu, nu aveți niciun dezavantaj, în special nu în privința prestațiilor la care "
        "aveți dreptul."
    ),
    "withdrawal_title": "Revocare",
    "withdrawal": (
        "Puteți revoca oricând consimțământul, total sau parțial, fără a da motive – oral sau "
        "în scris la instituția responsabilă; vă rugăm să menționați ID-ul documentului. "
        "Revocarea se aplică din acel moment; transmiterile anterioare rămân legale."
    ),
    "interpreter": "Interpret/interpretă",
    "signatures": "Semnături",
    "sign_person": "Semnătura persoanei vizate",
    "sign_interpreter": "Semnătura interpretului/interpretei",
    "cat_identity": "Identitate",
    "cat_residence_status": "Statutul de ședere",
    "cat_education_work": "Educație și muncă",
    "cat_benefits": "Prestații sociale",
    "cat_family": "Familie",
    "cat_health": "Sănătate",
    "cat_youth_welfare": "Date ale Oficiului pentru tineret",
}

BULGARIAN: dict[str, str] = {
    "title": "Съгласие за предаване на социални данни",
    "subtitle": "Освобождаване от задължението за поверителност",
    "document_id": "Идентификатор на документа",
    "text_version": "Версия на текста",
    "person": "Засегнато лице",
    "born": "дата на раждане",
    "controller": "Отговорна служба",
    "declaration": (
        "Съгласен/съгласна съм отговорната служба да предава посочените по-долу данни за мен на "
        "посочените по-долу получатели и да ги обменя с тях – само за посочената по-долу цел."
    ),
    "recipients": "Получатели",
    "categories": "Данни",
    "purpose": "Цел",
    "purpose_explained": (
        "Целта е записана на немски език. Устният преводач / устната преводачка ми я обясни на "
        "моя език."
    ),
    "purpose_translate": (
        "Целта е записана на немски език. Моля, поискайте да ви бъде преведена, ако не я разбирате."
    ),
    "validity": "Валидност",
    "until_withdrawn": "до оттегляне",
    "voluntary_title": "Доброволност",
    "voluntary": (
        "Съгласието е доброволно. Ако не дадете съгласие или по-късно го оттеглите, това няма "
        "да ви навреди, особено по отношение на помощите, на които имате право."
    ),
    "withdrawal_title": "Оттегляне",
    "withdrawal": (
        "Можете по всяко време да оттеглите съгласието изцяло или частично, без да посочвате "
        "причини – устно или писмено в отговорната служба; моля, посочете идентификатора на "
        "документа. Оттеглянето важи от този момент; предишните предавания остават законни."
    ),
    "interpreter": "Устен преводач / устна преводачка",
    "signatures": "Подписи",
    "sign_person": "Подпис на засегнатото лице",
    "sign_interpreter": "Подпис на устния преводач / устната преводачка",
    "cat_identity": "Самоличност",
    "cat_residence_status": "Статус на пребиваване",
    "cat_education_work": "Образование и работа",
    "cat_benefits": "Получаване на социални помощи",
    "cat_family": "Семейство",
    "cat_health": "Здраве",
    "cat_youth_welfare": "Данни на службата за младежта",
}

TIGRINYA: dict[str, str] = {
    "title": "ፍቓድ ንምትሕልላፍ ማሕበራዊ ሓበሬታ",
    "subtitle": "ካብ ግዴታ ምሕላው ምስጢር ምፍታሕ",
    "document_id": "መለለዪ ሰነድ",
    "text_version": "ሕታም ጽሑፍ",
    "person": "ዝምልከቶ ሰብ",
    "born": "ዕለት ልደት",
    "controller": "ሓላፍነት ዘለዎ ቤት ጽሕፈት",
    "declaration": (
        "ሓላፍነት ዘለዎ ቤት ጽሕፈት ኣብ ታሕቲ ዝተጠቕሰ ብዛዕባይ ዘሎ ሓበሬታ ናብ ኣብ ታሕቲ ዝተጠቕሱ ተቐበልቲ "
        "ከመሓላልፎን ምሳታቶም ክለዋወጦን ፍቓደይ እህብ – ንኣብ ታሕቲ ዝተጠቕሰ ዕላማ ጥራይ።"
    ),
    "recipients": "ተቐበልቲ",
    "categories": "ሓበሬታ",
    "purpose": "ዕላማ",
    "purpose_explained": "እቲ ዕላማ ብጀርመንኛ እዩ ተጻሒፉ። ተርጓሚ ብቋንቋይ ገሊጹለይ እዩ።",
    "purpose_translate": "እቲ ዕላማ ብጀርመንኛ እዩ ተጻሒፉ። እንተዘይተረዲእኩምዎ፡ በጃኹም ክትርጎመልኩም ሕተቱ።",
    "validity": "ግዜ ቅቡልነት",
    "until_withdrawn": "ክሳብ ዝስሓብ",
    "voluntary_title": "ብድሌት",
    "voluntary": (
        "እዚ ፍቓድ ብድሌት እዩ። ፍቓድ እንተዘይሂብኩም ወይ ድሓር እንተሰሒብኩምዎ፡ ብፍላይ ኣብቲ መሰል ዘለኩም ሓገዛት ዝኾነ ጉድኣት ኣየስዕበልኩምን።"
    ),
    "withdrawal_title": "ምስሓብ ፍቓድ",
    "withdrawal": (
        "ነዚ ፍቓድ ኣብ ዝኾነ ግዜ ምኽንያት ከይሃብኩም ምሉእ ወይ ብኸፊል ክትስሕብዎ ትኽእሉ ኢኹም – ብቓል ወይ ብጽሑፍ "
        "ኣብቲ ሓላፍነት ዘለዎ ቤት ጽሕፈት፤ በጃኹም መለለዪ ሰነድ ጥቐሱ። ምስሓብ ካብታ ግዜ እቲኣ ይሰርሕ፤ ቅድሚኡ "
        "ዝተገብረ ምትሕልላፍ ሕጋዊ ኮይኑ ይተርፍ።"
    ),
    "interpreter": "ተርጓሚ",
    "signatures": "ፌርማታት",
    "sign_person": "ፌርማ ዝምልከቶ ሰብ",
    "sign_interpreter": "ፌርማ ተርጓሚ",
    "cat_identity": "መንነት",
    "cat_residence_status": "ኩነታት መንበሪ",
    "cat_education_work": "ትምህርትን ስራሕን",
    "cat_benefits": "ማሕበራዊ ሓገዝ",
    "cat_family": "ስድራቤት",
    "cat_health": "ጥዕና",
    "cat_youth_welfare": "ሓበሬታ ቤት ጽሕፈት ድሕነት መንእሰያት",
}

CONSENT_TEXTS = DocumentTexts(
    version=CONSENT_TEXT_VERSION,
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
